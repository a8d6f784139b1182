"""The pages of communities that read no ratings: partnerships and agreed support."""
