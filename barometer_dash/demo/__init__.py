"""A synthetic demo survey modelled on the Western Balkans Security Barometer.

The data are invented (and say so in the codebook); they exist so the app has something
realistic to show and test against without any real survey's microdata.
"""

from .build import DEFAULT_SEED, build_demo, generate

__all__ = ["DEFAULT_SEED", "build_demo", "generate"]
