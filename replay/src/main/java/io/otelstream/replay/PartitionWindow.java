package io.otelstream.replay;

/**
 * One input partition's share of a replay window, as offsets.
 *
 * @param partition the partition
 * @param readFrom where reading starts: {@code decision_wait} of record time before {@code from},
 *     so that a trace which started before the window is recognised (and left out) instead of its
 *     later spans being taken for a trace of their own
 * @param from the first offset whose trace may be decided: traces whose first record is in [from,
 *     to) are decided
 * @param to the first offset after the window (traces starting here or later are left out)
 * @param stop where reading ends: the first record at or after the window's end plus {@code
 *     decision_wait}, so traces that started inside the window are whole; or the partition's end
 */
public record PartitionWindow(int partition, long readFrom, long from, long to, long stop) {
  /** Records to read. */
  public long records() {
    return Math.max(0, stop - readFrom);
  }

  public boolean empty() {
    return stop <= readFrom;
  }
}
