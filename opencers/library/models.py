"""The chemical library: substances with their identity, regulatory lists and physical data, and a
search table of every name a substance goes by."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from opencers.core.models import BaseModel

CCL_ID_SEQUENCE = "library_chemical_ccl_id_seq"


class PhysicalState(models.TextChoices):
    """Data dictionary field 214: the state at 20 °C."""

    SOLID = "a", _("Solid")
    LIQUID = "b", _("Liquid")
    GAS = "c", _("Gas")


class ChemicalSource(models.TextChoices):
    CHEMICALS = "chemicals", _("chemicals package")
    EHS = "ehs", _("EPA EHS list")
    MANUAL = "manual", _("entered from a Safety Data Sheet")


class Chemical(BaseModel):
    """One substance of the library.

    ``ccl_id`` is our chemical library id (data dictionary field 250, CCLID), allocated from a database
    sequence when a substance is first added and never changed afterwards. Temperatures are in °F.
    """

    ccl_id = models.PositiveIntegerField(
        _("chemical library id"),
        unique=True,
        db_default=models.Func(
            models.Value(CCL_ID_SEQUENCE), function="nextval", output_field=models.IntegerField()
        ),
    )
    cas = models.CharField(_("CAS number"), max_length=15, blank=True)
    name = models.CharField(_("name"), max_length=500)
    formula = models.CharField(_("formula"), max_length=100, blank=True)
    synonyms = ArrayField(models.TextField(), default=list, blank=True)
    pubchem_cid = models.PositiveIntegerField(_("PubChem CID"), null=True, blank=True)
    ehs = models.BooleanField(_("Extremely Hazardous Substance"), default=False)
    tpq_lbs = models.DecimalField(
        _("threshold planning quantity (lb)"), max_digits=10, decimal_places=2, null=True
    )
    tpq_alt_lbs = models.DecimalField(
        _("alternate threshold planning quantity (lb)"), max_digits=10, decimal_places=2, null=True
    )
    rq_lbs = models.DecimalField(_("reportable quantity (lb)"), max_digits=10, decimal_places=2, null=True)
    physical_state = models.CharField(
        _("physical state at 20 °C"), max_length=1, choices=PhysicalState.choices, blank=True
    )
    melting_point_f = models.DecimalField(_("melting point (°F)"), max_digits=7, decimal_places=1, null=True)
    boiling_point_f = models.DecimalField(_("boiling point (°F)"), max_digits=7, decimal_places=1, null=True)
    flash_point_f = models.DecimalField(_("flash point (°F)"), max_digits=7, decimal_places=1, null=True)
    density_lb_per_gal = models.DecimalField(
        _("liquid density at 25 °C (lb/gal)"), max_digits=8, decimal_places=3, null=True
    )
    molecular_weight = models.DecimalField(
        _("molecular weight (g/mol)"), max_digits=12, decimal_places=4, null=True
    )
    source = models.CharField(_("source"), max_length=20, choices=ChemicalSource.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cas"], condition=~models.Q(cas=""), name="library_chemical_cas_unique"
            ),
            models.UniqueConstraint(
                Lower("name"), condition=models.Q(cas=""), name="library_chemical_name_unique_without_cas"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.cas})" if self.cas else self.name


class NameKind(models.TextChoices):
    PRIMARY = "primary", _("primary name")
    SYNONYM = "synonym", _("synonym")
    CAS = "cas", _("CAS number")


class ChemicalName(models.Model):
    """Every name (and the CAS number) of a substance, one row each, in lower case: the search table.

    Derived from ``Chemical`` (name, synonyms, cas) by the library services; never edited by hand. The
    trigram index finds names containing a word; the pattern index finds names equal to or starting with
    a text. ``rank`` orders the rows for search, best first: 0 the primary name or CAS number of a
    substance with regulatory or physical data (the ones businesses store), 1 its synonyms, 2 and 3 the
    same for the other substances. A full load writes the rows in (rank, length) order, which search
    relies on to look at the most likely names first.
    """

    chemical = models.ForeignKey(Chemical, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=500)
    kind = models.CharField(max_length=10, choices=NameKind.choices)
    rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="library_name_trgm"),
            models.Index(fields=["name"], opclasses=["varchar_pattern_ops"], name="library_name_pattern"),
        ]

    def __str__(self) -> str:
        return self.name


class SearchWord(models.Model):
    """The distinct words (three to a hundred letters a-z) of all names: the dictionary that typos are
    corrected against before the names are searched. Byte order ("C" collation), so that the words
    starting with a text are a range of the primary key."""

    word = models.CharField(max_length=100, primary_key=True, db_collation="C")
    names = models.PositiveIntegerField(default=0, help_text="How many names contain the word.")

    class Meta:
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="library_word_trgm")]

    def __str__(self) -> str:
        return self.word
