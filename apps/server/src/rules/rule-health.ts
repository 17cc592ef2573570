// Health bookkeeping every rule shares, as the rules API reports it.
export class RuleHealth {
  health: 'ok' | 'err' | 'unknown' = 'unknown';
  lastError = '';
  lastEvaluation = 0;
  evaluationTimeSec = 0;

  record(start: number, t: number, err: Error | undefined): void {
    this.lastEvaluation = t;
    this.evaluationTimeSec = (performance.now() - start) / 1000;
    this.health = err ? 'err' : 'ok';
    this.lastError = err ? err.message : '';
  }
}
