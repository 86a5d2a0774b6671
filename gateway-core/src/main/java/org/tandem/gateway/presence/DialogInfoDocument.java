package org.tandem.gateway.presence;

import java.util.List;

/**
 * The {@code application/dialog-info+xml} body of a dialog NOTIFY (RFC 4235 section 4): always
 * full state ({@code state="full"}), the version one higher in each NOTIFY of a subscription
 * (4.1.1: it starts at 0 and increments by one per document). A call shows early, then
 * confirmed; in the first document after it ended it shows terminated once, then it is left out.
 * Local and remote identities are not included: a watcher learns whether a line is busy, not who
 * is talking to whom (docs/PRESENCE.md).
 */
public final class DialogInfoDocument {
    public static final String NS = "urn:ietf:params:xml:ns:dialog-info";

    private DialogInfoDocument() {
    }

    /** The state key of a document (without the version): NOTIFY is sent when it changes. */
    static String key(List<LineDialog> dialogs) {
        StringBuilder b = new StringBuilder();
        for (LineDialog d : dialogs) {
            b.append(d.id()).append(':').append(d.state()).append(':').append(d.initiator()).append(':')
                    .append(d.sipCallId()).append(';');
        }
        return b.toString();
    }

    public static String build(String entity, long version, List<LineDialog> dialogs) {
        StringBuilder b = new StringBuilder(256 + 128 * dialogs.size());
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<dialog-info xmlns=\"").append(NS).append("\" version=\"").append(version)
                .append("\" state=\"full\" entity=\"").append(Xml.escape(entity)).append("\">\n");
        for (LineDialog d : dialogs) {
            b.append("  <dialog id=\"").append(Xml.escape(d.id())).append('"');
            if (!d.sipCallId().isEmpty()) {
                b.append(" call-id=\"").append(Xml.escape(d.sipCallId())).append('"');
            }
            b.append(" direction=\"").append(d.initiator() ? "initiator" : "recipient").append("\">\n");
            b.append("    <state>").append(d.state().xml()).append("</state>\n");
            b.append("  </dialog>\n");
        }
        b.append("</dialog-info>\n");
        return b.toString();
    }
}
