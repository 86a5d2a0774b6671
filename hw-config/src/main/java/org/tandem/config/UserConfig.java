package org.tandem.config;

import java.util.List;

/**
 * {@code [user NAME]}: a SIP phone or softphone that registers with the gateway (RFC 3261
 * section 10) and is reached at the numbers it owns.
 *
 * @param name the section NAME: the digest username and the user part of its address-of-record
 * @param password digest secret the phone authenticates with
 * @param numbers numbers that ring this user; each number belongs to one user only (a cross-check)
 * @param fork how a call rings several registered contacts of this user
 * @param ringTimeS how long one contact rings (sequential: before the next is tried; parallel:
 *     all of them at once) before the call fails with no answer
 * @param maxContacts most bindings this user may hold at once
 */
public record UserConfig(String name, Secret password, List<String> numbers, Fork fork,
        int ringTimeS, int maxContacts) {

    /** How the contacts of a user ring: all at once, or one after another by q-value. */
    public enum Fork implements Token {
        PARALLEL, SEQUENTIAL;
    }
}
