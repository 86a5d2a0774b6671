package org.tandem.gateway.interwork;

/**
 * Q.850 cause values (ITU-T Q.850 Table 1) and their names.
 *
 * <p>A cause is an {@code int} 0..127 everywhere in Tandem; this class only names them and knows
 * their class (the high three bits, Q.850 section 2.2.5).
 */
public final class Q850Cause {
    public static final int UNALLOCATED_NUMBER = 1;
    public static final int NO_ROUTE_TO_DESTINATION = 3;
    public static final int NORMAL_CLEARING = 16;
    public static final int USER_BUSY = 17;
    public static final int NO_USER_RESPONDING = 18;
    public static final int NO_ANSWER = 19;
    public static final int SUBSCRIBER_ABSENT = 20;
    public static final int CALL_REJECTED = 21;
    public static final int NUMBER_CHANGED = 22;
    public static final int DESTINATION_OUT_OF_ORDER = 27;
    public static final int INVALID_NUMBER_FORMAT = 28;
    public static final int NORMAL_UNSPECIFIED = 31;
    public static final int NO_CIRCUIT_AVAILABLE = 34;
    public static final int NETWORK_OUT_OF_ORDER = 38;
    public static final int TEMPORARY_FAILURE = 41;
    public static final int SWITCHING_EQUIPMENT_CONGESTION = 42;
    public static final int RESOURCE_UNAVAILABLE = 47;
    public static final int BEARER_CAPABILITY_NOT_IMPLEMENTED = 65;
    public static final int SERVICE_NOT_IMPLEMENTED = 79;
    public static final int INCOMPATIBLE_DESTINATION = 88;
    public static final int RECOVERY_ON_TIMER_EXPIRY = 102;
    public static final int PROTOCOL_ERROR = 111;
    public static final int INTERWORKING = 127;

    private static final String[] NAMES = new String[128];

    static {
        String[][] table = {
            {"1", "Unallocated (unassigned) number"},
            {"2", "No route to specified transit network"},
            {"3", "No route to destination"},
            {"4", "Send special information tone"},
            {"5", "Misdialled trunk prefix"},
            {"6", "Channel unacceptable"},
            {"7", "Call awarded and being delivered in an established channel"},
            {"8", "Preemption"},
            {"9", "Preemption - circuit reserved for reuse"},
            {"16", "Normal call clearing"},
            {"17", "User busy"},
            {"18", "No user responding"},
            {"19", "No answer from user (user alerted)"},
            {"20", "Subscriber absent"},
            {"21", "Call rejected"},
            {"22", "Number changed"},
            {"23", "Redirection to new destination"},
            {"25", "Exchange routing error"},
            {"26", "Non-selected user clearing"},
            {"27", "Destination out of order"},
            {"28", "Invalid number format (address incomplete)"},
            {"29", "Facility rejected"},
            {"30", "Response to STATUS ENQUIRY"},
            {"31", "Normal, unspecified"},
            {"34", "No circuit/channel available"},
            {"38", "Network out of order"},
            {"39", "Permanent frame mode connection out of service"},
            {"40", "Permanent frame mode connection operational"},
            {"41", "Temporary failure"},
            {"42", "Switching equipment congestion"},
            {"43", "Access information discarded"},
            {"44", "Requested circuit/channel not available"},
            {"46", "Precedence call blocked"},
            {"47", "Resource unavailable, unspecified"},
            {"49", "Quality of service not available"},
            {"50", "Requested facility not subscribed"},
            {"53", "Outgoing calls barred within CUG"},
            {"55", "Incoming calls barred within CUG"},
            {"57", "Bearer capability not authorized"},
            {"58", "Bearer capability not presently available"},
            {"62", "Inconsistency in designated outgoing access information and subscriber class"},
            {"63", "Service or option not available, unspecified"},
            {"65", "Bearer capability not implemented"},
            {"66", "Channel type not implemented"},
            {"69", "Requested facility not implemented"},
            {"70", "Only restricted digital information bearer capability is available"},
            {"79", "Service or option not implemented, unspecified"},
            {"81", "Invalid call reference value"},
            {"82", "Identified channel does not exist"},
            {"83", "A suspended call exists, but this call identity does not"},
            {"84", "Call identity in use"},
            {"85", "No call suspended"},
            {"86", "Call having the requested call identity has been cleared"},
            {"87", "User not member of CUG"},
            {"88", "Incompatible destination"},
            {"90", "Non-existent CUG"},
            {"91", "Invalid transit network selection"},
            {"95", "Invalid message, unspecified"},
            {"96", "Mandatory information element is missing"},
            {"97", "Message type non-existent or not implemented"},
            {"98", "Message not compatible with call state or message type non-existent or not implemented"},
            {"99", "Information element/parameter non-existent or not implemented"},
            {"100", "Invalid information element contents"},
            {"101", "Message not compatible with call state"},
            {"102", "Recovery on timer expiry"},
            {"103", "Parameter non-existent or not implemented, passed on"},
            {"110", "Message with unrecognized parameter, discarded"},
            {"111", "Protocol error, unspecified"},
            {"127", "Interworking, unspecified"},
        };
        for (String[] row : table) {
            NAMES[Integer.parseInt(row[0])] = row[1];
        }
    }

    private Q850Cause() {
    }

    /** True for 0..127, the 7-bit range of the cause value field. */
    public static boolean isValid(int cause) {
        return cause >= 0 && cause <= 127;
    }

    /** The Q.850 name, or "Cause N" for a value Q.850 leaves unassigned. */
    public static String name(int cause) {
        requireValid(cause);
        String name = NAMES[cause];
        return name != null ? name : "Cause " + cause;
    }

    /** True when Q.850 assigns this value a meaning. */
    public static boolean isAssigned(int cause) {
        return isValid(cause) && NAMES[cause] != null;
    }

    /**
     * The "unspecified" cause of the class this cause belongs to. Q.850 section 2.2.5 says an
     * unrecognized cause is treated as the unspecified cause of its class; the interworking maps
     * use this to cover values their tables do not list.
     */
    public static int unspecifiedOfClass(int cause) {
        requireValid(cause);
        return switch (cause >> 4) {
            case 0, 1 -> NORMAL_UNSPECIFIED;
            case 2 -> RESOURCE_UNAVAILABLE;
            case 3 -> 63;
            case 4 -> SERVICE_NOT_IMPLEMENTED;
            case 5 -> 95;
            case 6 -> PROTOCOL_ERROR;
            default -> INTERWORKING;
        };
    }

    static int requireValid(int cause) {
        if (!isValid(cause)) {
            throw new IllegalArgumentException("Q.850 cause " + cause + " is outside 0..127");
        }
        return cause;
    }
}
