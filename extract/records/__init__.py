"""Records: pages cut into sections (segment), then read into records by the families and the readers they share."""
