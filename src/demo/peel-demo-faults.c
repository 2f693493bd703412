/* peel-demo-faults.c
 *
 * The demo server's failures, shaped exactly like Google's: the error body
 * `{"error":{"code","message","status","details"}}`, the quota error with RetryInfo, the
 * key errors, and the names of the faults it can be told to inject.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "peel-demo-server-private.h"

static const char *fault_names[PEEL_DEMO_N_FAULTS] = {
  [PEEL_DEMO_FAULT_NONE] = "none",
  [PEEL_DEMO_FAULT_RATE_LIMIT] = "rate-limit",
  [PEEL_DEMO_FAULT_SERVER_ERROR] = "server-error",
  [PEEL_DEMO_FAULT_UNAVAILABLE] = "unavailable",
  [PEEL_DEMO_FAULT_RESET] = "reset",
  [PEEL_DEMO_FAULT_TRUNCATED_STREAM] = "truncated-stream",
  [PEEL_DEMO_FAULT_STALL] = "stall",
  [PEEL_DEMO_FAULT_MALFORMED_JSON] = "malformed-json",
  [PEEL_DEMO_FAULT_BLOCKED_PROMPT] = "blocked-prompt",
  [PEEL_DEMO_FAULT_IMAGE_SAFETY] = "image-safety",
  [PEEL_DEMO_FAULT_DATA_URI] = "data-uri",
  [PEEL_DEMO_FAULT_HUGE_BODY] = "huge-body",
  [PEEL_DEMO_FAULT_IMAGE_URL] = "image-url",
  [PEEL_DEMO_FAULT_IMAGE_URL_MISSING] = "image-url-missing",
  [PEEL_DEMO_FAULT_IMAGE_URL_NOT_IMAGE] = "image-url-not-image",
  [PEEL_DEMO_FAULT_IMAGE_URL_BOMB] = "image-url-bomb",
  [PEEL_DEMO_FAULT_IMAGE_URL_HUGE] = "image-url-huge",
  [PEEL_DEMO_FAULT_IMAGE_URL_STALL] = "image-url-stall",
  [PEEL_DEMO_FAULT_TRICKLE] = "trickle",
  [PEEL_DEMO_FAULT_KEEP_ALIVE] = "keep-alive",
};

/**
 * peel_demo_fault_to_string:
 *
 * Returns: the name of @fault as `peel-cli demo-server --fault` takes it
 */
const char *
peel_demo_fault_to_string (PeelDemoFault fault)
{
  g_return_val_if_fail (fault < PEEL_DEMO_N_FAULTS, NULL);

  return fault_names[fault];
}

/**
 * peel_demo_fault_from_string:
 * @str: a name such as "rate-limit"; "rate_limit" and any case are taken too
 *
 * Returns: whether @str names a fault
 */
gboolean
peel_demo_fault_from_string (const char    *str,
                             PeelDemoFault *fault)
{
  g_autofree char *name = NULL;

  if (str == NULL)
    return FALSE;

  name = g_ascii_strdown (str, -1);
  g_strdelimit (name, "_", '-');
  for (guint i = 0; i < PEEL_DEMO_N_FAULTS; i++)
    {
      if (strcmp (name, fault_names[i]) == 0)
        {
          *fault = (PeelDemoFault) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * peel_demo_fault_is_image_url:
 *
 * Returns: whether @fault answers with a link to the image instead of the image
 */
gboolean
peel_demo_fault_is_image_url (PeelDemoFault fault)
{
  return fault >= PEEL_DEMO_FAULT_IMAGE_URL && fault <= PEEL_DEMO_FAULT_IMAGE_URL_STALL;
}

GBytes *
peel_demo_error_body (guint       code,
                      const char *status,
                      const char *message,
                      JsonNode   *details)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;
  gsize len;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  if (details != NULL)
    {
      json_builder_set_member_name (builder, "details");
      json_builder_add_value (builder, json_node_copy (details));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);

  return g_bytes_new_take (text, len);
}

GBytes *
peel_demo_error_printf (guint       code,
                        const char *status,
                        const char *format,
                        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  return peel_demo_error_body (code, status, message, NULL);
}

static JsonNode *
parse_node (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, json, -1, NULL))
    g_assert_not_reached ();

  return json_node_copy (json_parser_get_root (parser));
}

/* A protobuf Duration as Google writes it: "12s", or "2.500s" for a fraction. */
static char *
format_duration (double seconds)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (seconds == floor (seconds))
    return g_strdup_printf ("%.0fs", seconds);

  return g_strdup_printf ("%ss", g_ascii_formatd (buf, sizeof buf, "%.3f", seconds));
}

static GBytes *
rate_limit_body (double retry_delay)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *delay = format_duration (retry_delay);
  g_autofree char *message = NULL;
  g_autofree char *details_json = NULL;
  g_autoptr(JsonNode) details = NULL;

  message = g_strdup_printf ("You exceeded your current quota, please check your plan and "
                             "billing details. Please retry in %ss.",
                             g_ascii_formatd (buf, sizeof buf, "%.9g", retry_delay));
  details_json = g_strdup_printf (
    "[{\"@type\": \"type.googleapis.com/google.rpc.QuotaFailure\","
    "  \"violations\": [{\"quotaMetric\": "
    "\"generativelanguage.googleapis.com/generate_content_paid_tier_requests\","
    "  \"quotaId\": \"GenerateRequestsPerMinutePerProjectPerModel\","
    "  \"quotaDimensions\": {\"location\": \"global\", \"model\": \"peel-demo\"},"
    "  \"quotaValue\": \"10\"}]},"
    " {\"@type\": \"type.googleapis.com/google.rpc.Help\","
    "  \"links\": [{\"description\": \"Learn more about Gemini API quotas\","
    "  \"url\": \"https://ai.google.dev/gemini-api/docs/rate-limits\"}]},"
    " {\"@type\": \"type.googleapis.com/google.rpc.RetryInfo\", \"retryDelay\": \"%s\"}]",
    delay);
  details = parse_node (details_json);

  return peel_demo_error_body (429, "RESOURCE_EXHAUSTED", message, details);
}

/**
 * peel_demo_error_for_fault:
 * @status: (out): the HTTP status to send with the body
 *
 * Returns: (nullable): the error body of a fault that is an HTTP error, else %NULL
 */
GBytes *
peel_demo_error_for_fault (PeelDemoFault  fault,
                           double         retry_delay,
                           guint         *status)
{
  switch (fault)
    {
    case PEEL_DEMO_FAULT_RATE_LIMIT:
      *status = 429;
      return rate_limit_body (retry_delay);

    case PEEL_DEMO_FAULT_SERVER_ERROR:
      *status = 500;
      return peel_demo_error_body (500, "INTERNAL",
                                   "An internal error has occurred. Please retry or report in "
                                   "https://developers.generativeai.google/guide/troubleshooting",
                                   NULL);

    case PEEL_DEMO_FAULT_UNAVAILABLE:
      *status = 503;
      return peel_demo_error_body (503, "UNAVAILABLE",
                                   "The model is overloaded. Please try again later.", NULL);

    case PEEL_DEMO_FAULT_NONE:
    case PEEL_DEMO_FAULT_RESET:
    case PEEL_DEMO_FAULT_TRUNCATED_STREAM:
    case PEEL_DEMO_FAULT_STALL:
    case PEEL_DEMO_FAULT_MALFORMED_JSON:
    case PEEL_DEMO_FAULT_BLOCKED_PROMPT:
    case PEEL_DEMO_FAULT_IMAGE_SAFETY:
    case PEEL_DEMO_FAULT_DATA_URI:
    case PEEL_DEMO_FAULT_HUGE_BODY:
    case PEEL_DEMO_FAULT_IMAGE_URL:
    case PEEL_DEMO_FAULT_IMAGE_URL_MISSING:
    case PEEL_DEMO_FAULT_IMAGE_URL_NOT_IMAGE:
    case PEEL_DEMO_FAULT_IMAGE_URL_BOMB:
    case PEEL_DEMO_FAULT_IMAGE_URL_HUGE:
    case PEEL_DEMO_FAULT_IMAGE_URL_STALL:
    case PEEL_DEMO_FAULT_TRICKLE:
    case PEEL_DEMO_FAULT_KEEP_ALIVE:
    case PEEL_DEMO_N_FAULTS:
    default:
      return NULL;
    }
}

/* The slow faults ---------------------------------------------------------------------------- */

/* What trickle sends, a byte at a time: a real answer's status line and headers, then a body
 * that promises a megabyte and is mostly the whitespace JSON allows. At one byte a second the
 * headers alone take more than a minute, and the body eleven days. */
static const char trickle_head[] =
  "HTTP/1.1 200 OK\r\n"
  "Content-Type: application/json; charset=UTF-8\r\n"
  "Content-Length: 1000000\r\n"
  "\r\n"
  "{\"candidates\":";

static gboolean
trickle_tick_cb (gpointer data)
{
  PeelDemoJob *job = data;
  GOutputStream *output;
  g_autoptr(GError) error = NULL;
  char byte;

  if (job->stolen == NULL || job->server == NULL)
    return G_SOURCE_REMOVE;

  byte = job->trickle_offset < sizeof trickle_head - 1 ? trickle_head[job->trickle_offset] : ' ';
  output = g_io_stream_get_output_stream (job->stolen);
  if (g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (output), &byte, 1,
                                                  NULL, &error) == 1)
    job->trickle_offset++;
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      /* The client hung up. This destroys the source that is calling: allowed. */
      peel_demo_job_finish (job);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
start_pacing (PeelDemoJob *job,
              guint        interval_ms,
              GSourceFunc  tick)
{
  g_assert (job->timeout == NULL);

  job->timeout = g_timeout_source_new (interval_ms);
  g_source_set_callback (job->timeout, tick, peel_demo_job_ref (job),
                         (GDestroyNotify) peel_demo_job_unref);
  g_source_attach (job->timeout, job->context);
}

/**
 * peel_demo_job_send_trickle:
 *
 * Takes the connection from libsoup and writes a reply one byte every
 * #PEEL_DEMO_SERVER_TRICKLE_MS, starting with the status line, until the client hangs up or
 * the server stops. The job stays among the server's jobs, so stop() ends it.
 */
void
peel_demo_job_send_trickle (PeelDemoJob *job)
{
  /* Taking the connection ends the message for libsoup: that is not the job's end. */
  g_clear_signal_handler (&job->finished_id, job->msg);
  g_clear_signal_handler (&job->disconnected_id, job->msg);
  job->stolen = soup_server_message_steal_connection (job->msg);
  if (job->stolen == NULL)
    {
      peel_demo_job_finish (job);
      return;
    }

  job->trickle_offset = 0;
  trickle_tick_cb (job);
  start_pacing (job, PEEL_DEMO_SERVER_TRICKLE_MS, trickle_tick_cb);
}

static gboolean
keep_alive_tick_cb (gpointer data)
{
  PeelDemoJob *job = data;
  static const char comment[] = ": keep-alive\n\n";

  if (job->server == NULL)
    return G_SOURCE_REMOVE;

  soup_message_body_append (soup_server_message_get_response_body (job->msg), SOUP_MEMORY_STATIC,
                            comment, sizeof comment - 1);
  soup_server_message_unpause (job->msg);
  return G_SOURCE_CONTINUE;
}

/**
 * peel_demo_job_send_keep_alive:
 *
 * Answers 200 with an event stream that holds only `: keep-alive` comments, one every
 * #PEEL_DEMO_SERVER_KEEP_ALIVE_MS, for as long as the client listens. A client that counts
 * comments as progress never stops.
 */
void
peel_demo_job_send_keep_alive (PeelDemoJob *job)
{
  SoupServerMessage *msg = job->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_replace (headers, "Content-Type", "text/event-stream");
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_headers_replace (headers, "Connection", "close");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  job->started = TRUE;
  keep_alive_tick_cb (job);
  start_pacing (job, PEEL_DEMO_SERVER_KEEP_ALIVE_MS, keep_alive_tick_cb);
}

GBytes *
peel_demo_error_key_invalid (void)
{
  g_autoptr(JsonNode) details = parse_node (
    "[{\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\","
    "  \"reason\": \"API_KEY_INVALID\", \"domain\": \"googleapis.com\","
    "  \"metadata\": {\"service\": \"generativelanguage.googleapis.com\"}},"
    " {\"@type\": \"type.googleapis.com/google.rpc.LocalizedMessage\", \"locale\": \"en-US\","
    "  \"message\": \"API key not valid. Please pass a valid API key.\"}]");

  return peel_demo_error_body (400, "INVALID_ARGUMENT",
                               "API key not valid. Please pass a valid API key.", details);
}

GBytes *
peel_demo_error_unregistered (void)
{
  return peel_demo_error_body (403, "PERMISSION_DENIED",
                               "Method doesn't allow unregistered callers (callers without "
                               "established identity). Please use API Key or other form of API "
                               "consumer identity to call this API.", NULL);
}

/* Google takes any other Authorization header for an OAuth token, and refuses it so. */
GBytes *
peel_demo_error_unauthenticated (void)
{
  g_autoptr(JsonNode) details = parse_node (
    "[{\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\","
    "  \"reason\": \"ACCESS_TOKEN_TYPE_UNSUPPORTED\", \"domain\": \"googleapis.com\","
    "  \"metadata\": {\"service\": \"generativelanguage.googleapis.com\","
    "  \"method\": \"google.ai.generativelanguage.v1beta.GenerativeService.GenerateContent\"}}]");

  return peel_demo_error_body (401, "UNAUTHENTICATED",
                               "Request had invalid authentication credentials. Expected OAuth 2 "
                               "access token, login cookie or other valid authentication "
                               "credential. See https://developers.google.com/identity/sign-in/"
                               "web/devconsole-project.", details);
}

/* Signatures are an HMAC of the signed content under a key every copy of Peel shares, so a
 * session saved yesterday still validates after a restart, and nothing is kept per request.
 * They guard against a client that drops or mangles them, not against forgery. */
static const char signature_key[] = "peel-demo-server thought signature v1";

char *
peel_demo_sign (char          kind,
                gconstpointer data,
                gsize         len)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) signature_key,
                                      strlen (signature_key));
  guint8 raw[4 + 32] = { 'P', 'e', 'e', 'l' };
  gsize digest_len = 32;

  g_hmac_update (hmac, (const guchar *) &kind, 1);
  g_hmac_update (hmac, data, len);
  g_hmac_get_digest (hmac, raw + 4, &digest_len);

  return g_base64_encode (raw, sizeof raw);
}
