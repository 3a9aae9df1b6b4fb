"""Evaluation: the warehouse, the theme coding and the repair stage measured against gold. Nothing in the
extraction path imports this package."""
