"""SPSS, Stata, CSV and Parquet survey files -> validated dataset folders, written atomically."""

from .describe import Options
from .pipeline import Ingested, codebook_template, ingest_file
from .readers import read_source
from .validate import Checked, validate_path

__all__ = ["Checked", "Ingested", "Options", "codebook_template", "ingest_file", "read_source", "validate_path"]
