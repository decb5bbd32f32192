/* fuzz-profile-gzip.c: the same configurations gzip-compressed
 *
 * The input is compressed here, so the fuzzer's changes reach the JSON
 * behind the decompressor rather than only breaking gzip's checksum.
 * Checked besides the profile checks: the compressed file gives the same
 * result as the plain one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "fuzz-common.h"
#include "fuzz-profile-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static GBytes *
gzip (const uint8_t *data,
      size_t         size)
{
  g_autoptr(GConverter) compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1));
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize total_in = 0;

  for (;;)
    {
      guint8 buffer[4096];
      gsize consumed = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (compressor, data + total_in, size - total_in, buffer,
                                    sizeof buffer, G_CONVERTER_INPUT_AT_END, &consumed, &written,
                                    NULL);
      FUZZ_CHECK (result != G_CONVERTER_ERROR, "gzip compression failed");
      total_in += consumed;
      g_byte_array_append (out, buffer, written);
      if (result == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) compressed = gzip (data, size);
  g_autoptr(GBytes) plain = g_bytes_new (data, size);
  g_autoptr(GPtrArray) from_gzip = fuzz_profile_parse (compressed, NULL);
  g_autoptr(GPtrArray) from_plain = NULL;

  /* Plain input that is itself gzip would be decompressed once more. */
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
    return 0;
  from_plain = fuzz_profile_parse (plain, NULL);
  FUZZ_CHECK ((from_gzip == NULL) == (from_plain == NULL),
              "the gzip file %s where the plain file %s", from_gzip ? "imports" : "fails",
              from_plain ? "imports" : "fails");
  if (from_gzip != NULL)
    FUZZ_CHECK (from_gzip->len == from_plain->len, "%u profiles from gzip, %u from plain",
                from_gzip->len, from_plain->len);
  return 0;
}
