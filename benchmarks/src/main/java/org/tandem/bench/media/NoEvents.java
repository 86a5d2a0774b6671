package org.tandem.bench.media;

import org.tandem.gateway.media.MediaHandle;
import org.tandem.gateway.media.MediaListener;

/** A media listener for benchmarks: the calls' events are not what is measured. */
final class NoEvents implements MediaListener {
    static final NoEvents INSTANCE = new NoEvents();

    private NoEvents() {
    }

    @Override
    public void onDtmf(MediaHandle handle, char digit, int durationMs, boolean fromSpan) {
    }

    @Override
    public void onRtpTimeout(MediaHandle handle, long silentMs) {
    }

    @Override
    public void onChannelLost(MediaHandle handle) {
    }
}
