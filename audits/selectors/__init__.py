"""Queries that read many rows for a page, one module per page or question, each named
for what it returns. Each page's query count is pinned by a test."""
