"""Retrieval: load articles, chunk them, embed, store in Chroma and search (dense + BM25)."""
