"""Article data: hand-written records, one module per outlet."""
