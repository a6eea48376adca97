"""The project's trained models at run time: loading them once, and the features they read.

Rules stay where the language is closed (role names, vague phrases); the models in
`models/` (trained by `recqual train`) take the open language: whether a discussion sentence
raises a concern, its domain, and whether a recommendation addresses it.
"""
