package org.tandem.tdm;

/**
 * A source of spans: {@code dahdi} (the device files under /dev/dahdi) or {@code sim} (the
 * simulated card). Code above this layer holds only this interface and the ones it returns.
 */
public interface TdmBackend extends AutoCloseable {
    /** "dahdi" or "sim". */
    String name();

    /**
     * Opens a span: its D-channel at {@code dChannelPos} and its B-channels at
     * {@code bChannelPositions} (chanpos values, not global channel numbers).
     *
     * @throws TdmException naming the span, the channel and the reason when it cannot be opened
     */
    TdmSpan openSpan(int spanNumber, SpanType type, int dChannelPos, int[] bChannelPositions);

    @Override
    void close();
}
