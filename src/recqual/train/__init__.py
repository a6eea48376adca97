"""Training the project's models from scratch (`recqual train`), with a fixed seed."""
