package org.tandem.tdm;

/**
 * The signalling channel of a PRI span: carries whole HDLC frames (Q.921) to and from libpri.
 * Frames are passed exactly as libpri expects with DAHDI's HDLCFCS mode: written with two
 * trailing FCS bytes, read with two trailing bytes that libpri drops.
 *
 * <p>Used only from the PRI signalling thread.
 */
public interface DChannel extends AutoCloseable {
    /** Descriptor carrying the frames; poll it for POLLIN. Also what libpri's callbacks read/write. */
    int fd();

    /**
     * Descriptor on which span events (alarms) become visible, and {@link #eventPollMask()} the
     * poll bits that mean "an event is pending": the D-channel fd with POLLPRI on DAHDI; a
     * separate descriptor with POLLIN on the simulated card.
     */
    int eventFd();

    short eventPollMask();

    /** Pops one pending span event ({@link TdmEvents}), or {@link TdmEvents#NONE}. */
    int nextEvent();

    /** Reads one frame into {@code buf}; returns its length, 0 if none is ready, -1 on hang-up. */
    int readFrame(byte[] buf, int off, int len);

    /** Writes one frame; returns bytes written, 0 if the channel cannot take it now. */
    int writeFrame(byte[] buf, int off, int len);

    @Override
    void close();
}
