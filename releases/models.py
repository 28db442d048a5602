"""Dataset releases: a frozen, citable copy of chosen profiles' data for a period.

A Release row is made by the page and built by a task (releases.tasks): the ZIP it writes is
stored once and served as stored, so downloading a release again gives the same bytes."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from collector.models import Profile


def release_storage() -> Storage:
    """STORAGES["releases"]: outside MEDIA_ROOT, so only the download view hands a file out."""
    return storages["releases"]


class ReleaseStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def stale_after() -> timedelta:
    """A build beats at every chunk of rows; one silent for this long lost its worker (kill -9, a restart)."""
    return timedelta(seconds=settings.RELEASE_STALE_SECONDS)


class ReleaseQuerySet(models.QuerySet["Release"]):
    def claim(self, pk: int) -> bool:
        """Take the release to build: queued, or building with a worker that stopped beating.
        False when it is ready, failed or another worker is building it now."""
        alive = Q(status=ReleaseStatus.BUILDING, heartbeat_at__gte=timezone.now() - stale_after())
        claimable = self.filter(pk=pk, status__in=[ReleaseStatus.QUEUED, ReleaseStatus.BUILDING]).exclude(alive)
        return bool(
            claimable.update(status=ReleaseStatus.BUILDING, heartbeat_at=timezone.now(), progress_done=0, error="")
        )

    def stale(self) -> ReleaseQuerySet:
        """Builds nobody is doing: queued or building, and silent (or last re-queued) too long ago.
        The database, not the broker, says what is pending: a lost task message is found here."""
        cutoff = timezone.now() - stale_after()
        silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
        return self.filter(silent, status__in=[ReleaseStatus.QUEUED, ReleaseStatus.BUILDING])

    def create_numbered(self, organization: Organization, **fields: object) -> Release:
        """A new release with the organization's next number (its version id), retried on a race."""
        for _attempt in range(5):
            last = self.filter(organization=organization).aggregate(last=Max("number"))["last"] or 0
            try:
                with transaction.atomic():
                    return self.create(organization=organization, number=last + 1, **fields)
            except IntegrityError:
                continue
        raise IntegrityError("no free release number")


class Release(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    profiles = models.ManyToManyField(Profile, related_name="releases", verbose_name=_("profiles"))
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    language = models.CharField(_("codebook language"), max_length=10, default="en")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.QUEUED)
    progress_done = models.PositiveIntegerField(_("rows written"), default=0)
    progress_total = models.PositiveIntegerField(_("rows to write"), null=True, blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    file = models.FileField(_("file"), storage=release_storage, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the ZIP"), max_length=64, blank=True)
    manifest = models.JSONField(_("manifest"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("dataset release")
        verbose_name_plural = _("dataset releases")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["organization", "number"], name="one_release_number_per_org")]

    def __str__(self) -> str:
        return self.version

    @property
    def version(self) -> str:
        """The citable version id: the organization and its release number, never reused."""
        return f"SDL-{self.organization_id}-R{self.number:04d}"

    @property
    def percent(self) -> int:
        if self.status == ReleaseStatus.READY:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def in_progress(self) -> bool:
        return self.status in (ReleaseStatus.QUEUED, ReleaseStatus.BUILDING)

    @property
    def interrupted(self) -> bool:
        """Its worker was lost mid-build; the re-queue (releases.tasks) starts it over."""
        beat = self.heartbeat_at or self.created_at
        return self.status == ReleaseStatus.BUILDING and timezone.now() - beat > stale_after()

    def advance(self, rows: int) -> None:
        """Count rows written, in the database at once (the page polls it), and beat."""
        self.progress_done += rows
        Release.objects.filter(pk=self.pk).update(
            progress_done=models.F("progress_done") + rows, heartbeat_at=timezone.now()
        )
