"""Derivations from the model: the filters and the view state in URLs, the case table and its
sentences, the descriptions (alt text) and the overview's key moments. Pure pandas; no drawing."""
