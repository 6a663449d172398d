"""The content vector's LSA: vocabulary, TF-IDF and truncated SVD (fit.py), report and main."""
