package org.tandem.pri;

/**
 * A SETUP to send. {@code channel} is the timeslot the caller has hunted (sent as exclusive), or
 * {@link ChannelId#ANY} to let the far end choose. {@code callingName} may be null.
 */
public record OutgoingCall(int channel, PartyNumber called, PartyNumber calling, String callingName,
                           boolean complete) {
    public OutgoingCall {
        if (called == null || calling == null) {
            throw new IllegalArgumentException("called and calling numbers are required (calling may be empty)");
        }
        if (channel != ChannelId.ANY && (channel < 1 || channel > 31)) {
            throw new IllegalArgumentException("channel must be a timeslot 1..31 or ChannelId.ANY, got " + channel);
        }
    }

    public static OutgoingCall to(String called, String calling, int channel) {
        return new OutgoingCall(channel, PartyNumber.of(called), PartyNumber.of(calling), null, true);
    }
}
