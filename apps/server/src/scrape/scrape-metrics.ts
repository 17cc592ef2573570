// Counters the scrape layer reports as prometheus_target_* self metrics.
export class ScrapeMetrics {
  scrapesExceededSampleLimit = 0;
  scrapesExceededBodySizeLimit = 0;
  scrapesSampleDuplicateTimestamp = 0;
  scrapesSampleOutOfOrder = 0;
  scrapesSampleOutOfBounds = 0;
  scrapesExceededLabelLimits = 0;
  scrapesFailedCommit = 0;
  /** Per job: interval-length observations are reduced to a count and sum. */
  syncCount = new Map<string, number>();
}
