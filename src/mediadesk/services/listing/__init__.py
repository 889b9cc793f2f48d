"""Importing the supplier's weekly listing of "fragile" customers (CSV or XLSX).

`parsing` reads files (pure), `matching` finds known households and duplicates (pure),
`service` previews, commits in one transaction and undoes a batch.
"""

from mediadesk.services.listing.matching import PreviewLine
from mediadesk.services.listing.parsing import ImportCancelled, LineProblem, NotAListing
from mediadesk.services.listing.service import (
    ImportResult,
    ListingHasInvalidLines,
    ListingPreview,
    ListingService,
    UndoResult,
    listing_service,
)

__all__ = ["ImportCancelled", "ImportResult", "LineProblem", "ListingHasInvalidLines",
           "ListingPreview", "ListingService", "NotAListing", "PreviewLine", "UndoResult",
           "listing_service"]
