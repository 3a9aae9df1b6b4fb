"""Text: Swedish language data and the repair of garbled text (lexicon, letter statistics, repair, quality)."""
