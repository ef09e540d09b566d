"""Real functions from public packages, imported unmodified; see tests/test_corpus.py and README.md."""
