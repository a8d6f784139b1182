"""Admin for members."""
