"""Pinzhi (品质): business-quality management for the agency channel of life insurers."""

__version__ = "0.1.0"
