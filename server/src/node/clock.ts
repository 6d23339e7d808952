import { localDate, type Clock } from '../service/host';

/** Today's date; RUNBOOK_TODAY (YYYY-MM-DD) pins it for tests and reproducible CI runs. */
export const nodeClock: Clock = {
  today() {
    const pinned = process.env.RUNBOOK_TODAY;
    return pinned && /^\d{4}-\d{2}-\d{2}$/.test(pinned) ? pinned : localDate();
  },
};
