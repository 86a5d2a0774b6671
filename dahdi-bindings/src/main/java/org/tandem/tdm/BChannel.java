package org.tandem.tdm;

import java.nio.ByteBuffer;

/**
 * One bearer channel: a file descriptor that yields one block (160 bytes = 20 ms of G.711 by
 * default) per block period, paced by the card's clock. The media agent that owns the channel
 * polls {@link #fd()} for readability and calls {@link #read}/{@link #write} on its own thread.
 *
 * <p>Hot-path methods ({@link #read}, {@link #write}, {@link #nextEvent}) allocate nothing and
 * return status codes; configuration methods throw {@link TdmException} naming what failed.
 * Buffers passed to read/write must be direct.
 */
public interface BChannel extends AutoCloseable {
    /** {@link #read}/{@link #write} result: nothing to read / no room to write now. */
    int WOULD_BLOCK = 0;
    /** {@link #read}/{@link #write} result: an event is pending; call {@link #nextEvent()}. */
    int EVENT_PENDING = -1;
    /** {@link #read} result: the channel was closed or removed. */
    int CLOSED = -2;

    /** Global channel number (DAHDI's channo). */
    int channo();

    /** Span this channel belongs to, as the driver reports it (GET_PARAMS spanno). */
    int spanNumber();

    /** Position in its span, 1-based (GET_PARAMS chanpos; the timeslot on E1/T1). */
    int chanpos();

    /** Descriptor to poll/epoll for POLLIN (a block is ready) and, on DAHDI, POLLPRI (an event). */
    int fd();

    /** Bytes per block (DAHDI block size). */
    int blockSize();

    void setBlockSize(int bytes);

    void setLaw(TdmLaw law);

    /** Audio mode (law, gains, echo canceller active) or transparent data mode. */
    void setAudioMode(boolean audio);

    /** Enables the echo canceller with this tail in taps (8 per ms); 0 disables it. */
    void setEchoCanceller(int tapLength);

    /** DAHDI_FLUSH_* bits: READ 1, WRITE 2, EVENT 4. */
    void flush(int which);

    /**
     * DAHDI_BUFFER_EVENTS: when on, every block the card had to invent (WRITE_UNDERRUN) or drop
     * (READ_OVERRUN) queues an event, so the next read/write returns {@link #EVENT_PENDING}.
     * Off by default, as in DAHDI.
     */
    default void setBufferEvents(boolean on) {
        throw new TdmException(this + ": buffer events are not supported by this channel");
    }

    /** Current DAHDI alarm bits of the channel (0 = none). */
    int alarms();

    /**
     * Reads up to {@code dst.remaining()} bytes at {@code dst.position()}, advancing the position.
     * Returns bytes read, {@link #WOULD_BLOCK}, {@link #EVENT_PENDING} or {@link #CLOSED}.
     */
    int read(ByteBuffer dst);

    /** Writes {@code src.remaining()} bytes; same results as {@link #read}. */
    int write(ByteBuffer src);

    /**
     * Pops one pending event ({@link TdmEvents}), or {@link TdmEvents#NONE}. Both backends queue
     * ALARM/NOALARM on every channel of a span whose alarms change, and buffer events when enabled.
     */
    int nextEvent();

    @Override
    void close();
}
