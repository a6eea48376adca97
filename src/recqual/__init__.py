"""recqual: checks the quality of the records of looked-after children's statutory reviews."""

__version__ = "0.1.0"
