package org.tandem.pri;

/**
 * A SETUP to send. {@code channel} is the timeslot the caller has hunted (sent as exclusive), or
 * {@link ChannelId#ANY} to let the far end choose. {@code callingName} may be null;
 * {@code redirecting} (may be null) is sent as the Redirecting number of a diverted call.
 */
public record OutgoingCall(int channel, PartyNumber called, PartyNumber calling, String callingName,
                           boolean complete, Redirecting redirecting) {
    public OutgoingCall {
        if (called == null || calling == null) {
            throw new IllegalArgumentException("called and calling numbers are required (calling may be empty)");
        }
        if (channel != ChannelId.ANY && (channel < 1 || channel > 31)) {
            throw new IllegalArgumentException("channel must be a timeslot 1..31 or ChannelId.ANY, got " + channel);
        }
    }

    /** A SETUP of a call that was not diverted. */
    public OutgoingCall(int channel, PartyNumber called, PartyNumber calling, String callingName, boolean complete) {
        this(channel, called, calling, callingName, complete, null);
    }

    /** The same SETUP as a diverted call. */
    public OutgoingCall withRedirecting(Redirecting r) {
        return new OutgoingCall(channel, called, calling, callingName, complete, r);
    }

    public static OutgoingCall to(String called, String calling, int channel) {
        return new OutgoingCall(channel, PartyNumber.of(called), PartyNumber.of(calling), null, true);
    }
}
