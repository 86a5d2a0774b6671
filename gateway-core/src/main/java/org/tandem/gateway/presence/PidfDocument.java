package org.tandem.gateway.presence;

/**
 * The {@code application/pidf+xml} body of a presence NOTIFY (RFC 3863), with the RFC 4480
 * {@code on-the-phone} activity in an RFC 4479 person element while the user is busy:
 * <pre>
 *   registered, idle      basic open,   note "Available"
 *   registered, in a call basic open,   note "On the phone", person/activities/on-the-phone
 *   not registered        basic closed, note "Offline"
 * </pre>
 * Busy is "open" plus the activity, not "closed": the phone is still reachable (RFC 4480 3.2
 * describes activities as what the person is doing, next to the basic status of the tuple), and
 * phones and softphones show the activity as "busy" or "on the phone".
 */
public final class PidfDocument {
    public static final String NS_PIDF = "urn:ietf:params:xml:ns:pidf";
    public static final String NS_DATA_MODEL = "urn:ietf:params:xml:ns:pidf:data-model";
    public static final String NS_RPID = "urn:ietf:params:xml:ns:pidf:rpid";

    private PidfDocument() {
    }

    /** The state key of a document: NOTIFY is sent when it changes. */
    static String key(LineState s) {
        return !s.registered() ? "closed" : s.busy() ? "busy" : "open";
    }

    public static String build(String entity, LineState s) {
        boolean open = s.registered();
        boolean busy = open && s.busy();
        String note = !open ? "Offline" : busy ? "On the phone" : "Available";
        StringBuilder b = new StringBuilder(512);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<presence xmlns=\"").append(NS_PIDF).append("\" xmlns:dm=\"").append(NS_DATA_MODEL)
                .append("\" xmlns:rpid=\"").append(NS_RPID).append("\" entity=\"").append(Xml.escape(entity))
                .append("\">\n");
        b.append("  <tuple id=\"line\">\n");
        b.append("    <status><basic>").append(open ? "open" : "closed").append("</basic></status>\n");
        b.append("    <note>").append(note).append("</note>\n");
        b.append("  </tuple>\n");
        if (busy) {
            b.append("  <dm:person id=\"person\">\n");
            b.append("    <rpid:activities><rpid:on-the-phone/></rpid:activities>\n");
            b.append("    <dm:note>").append(note).append("</dm:note>\n");
            b.append("  </dm:person>\n");
        }
        b.append("</presence>\n");
        return b.toString();
    }
}
