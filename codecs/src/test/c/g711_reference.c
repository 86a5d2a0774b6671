/*
 * Independent G.711 reference for Tandem's codec tests: prints spandsp's conversions for every
 * input. Built and run by org.tandem.codecs.g711.SpandspReference at test time.
 *
 * Output, one table per section, values in decimal:
 *   linear_to_alaw 65536   then 65536 lines "<linear> <code>" for linear = -32768..32767
 *   linear_to_ulaw 65536   likewise (spandsp as it is: a negative sample's magnitude is -s)
 *   linear_to_ulaw_g191 65536  G.191's mu-law: spandsp's quantiser given G.191's magnitude for a
 *                          negative sample, the one's complement -s - 1 (see docs/CODECS.md)
 *   alaw_to_linear 256     then 256 lines "<code> <linear>"
 *   ulaw_to_linear 256
 *   alaw_to_ulaw 256       then 256 lines "<code> <code>"  (spandsp library function, a table)
 *   ulaw_to_alaw 256
 */
#include <stdio.h>
#include <stdint.h>
#include <spandsp.h>

int main(void)
{
    int i;

    printf("linear_to_alaw 65536\n");
    for (i = -32768; i <= 32767; i++)
        printf("%d %d\n", i, linear_to_alaw(i));
    printf("linear_to_ulaw 65536\n");
    for (i = -32768; i <= 32767; i++)
        printf("%d %d\n", i, linear_to_ulaw(i));
    /* G.191 ulaw_compress codes a negative s as the magnitude ~s = -s - 1 with the sign bit clear:
     * spandsp's code for -(-s - 1) = s + 1, with the sign bit forced clear for s = -1 (magnitude 0). */
    printf("linear_to_ulaw_g191 65536\n");
    for (i = -32768; i <= 32767; i++)
        printf("%d %d\n", i, i >= 0 ? linear_to_ulaw(i) : linear_to_ulaw(i + 1) & 0x7F);
    printf("alaw_to_linear 256\n");
    for (i = 0; i < 256; i++)
        printf("%d %d\n", i, alaw_to_linear((uint8_t) i));
    printf("ulaw_to_linear 256\n");
    for (i = 0; i < 256; i++)
        printf("%d %d\n", i, ulaw_to_linear((uint8_t) i));
    printf("alaw_to_ulaw 256\n");
    for (i = 0; i < 256; i++)
        printf("%d %d\n", i, alaw_to_ulaw((uint8_t) i));
    printf("ulaw_to_alaw 256\n");
    for (i = 0; i < 256; i++)
        printf("%d %d\n", i, ulaw_to_alaw((uint8_t) i));
    return 0;
}
