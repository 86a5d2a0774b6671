package org.tandem.gateway.presence;

/** Escaping for the text and attribute values of the documents we write. */
final class Xml {
    private Xml() {
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        b.append(' '); // not allowed in XML 1.0 at all
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
