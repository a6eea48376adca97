"""The annotated corpus: fictional review records with their gold annotations."""
