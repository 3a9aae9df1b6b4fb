"""Typed records passed between the pipeline stages and loaded into the warehouse."""
from models.layout import BBox, Cell, LayoutDocument, LayoutPage, Mark, Table, TextLine
from models.records import (
    Activity,
    Assessment,
    Assignment,
    Document,
    Extraction,
    Goal,
    Indicator,
    IndicatorValue,
    Municipality,
    Page,
    Provenance,
    RecordSet,
    ResultGoal,
    StatusLegendEntry,
    Theme,
)

__all__ = [
    "Activity", "Assessment", "Assignment", "BBox", "Cell", "Document", "Extraction", "Goal",
    "Indicator", "IndicatorValue", "LayoutDocument", "LayoutPage", "Mark", "Municipality", "Page",
    "Provenance", "RecordSet", "ResultGoal", "StatusLegendEntry", "Table", "TextLine", "Theme",
]
