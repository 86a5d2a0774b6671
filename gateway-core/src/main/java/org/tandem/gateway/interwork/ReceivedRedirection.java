package org.tandem.gateway.interwork;

import java.util.List;

/**
 * The redirection headers of a received INVITE as text, not yet judged: call control decides by
 * the trunk (trust and {@code redirection_headers}) whether to read them, with
 * {@link RedirectionMapper#fromSip}.
 *
 * @param diversion the values of every Diversion header, top-most first (one may hold several
 *                  comma-separated entries)
 * @param historyInfo the values of every History-Info header, in message order
 * @param privacyHistory a {@code Privacy} header asked for {@code history} (RFC 7044 10.1.2)
 */
public record ReceivedRedirection(List<String> diversion, List<String> historyInfo, boolean privacyHistory) {
    public static final ReceivedRedirection NONE = new ReceivedRedirection(List.of(), List.of(), false);

    public ReceivedRedirection {
        diversion = List.copyOf(diversion);
        historyInfo = List.copyOf(historyInfo);
    }

    public boolean isEmpty() {
        return diversion.isEmpty() && historyInfo.isEmpty();
    }
}
