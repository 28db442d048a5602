import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def backfill_profile(profile_id: int) -> None:
    """Collect a new profile's whole history. The collector fills this in; safe to call now."""
    logger.info("backfill of profile %s queued; the collector is not built yet", profile_id)
