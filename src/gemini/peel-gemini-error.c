/* peel-gemini-error.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "peel-data-error.h"
#include "peel-gemini-error.h"
#include "peel-json-reader.h"
#include "peel-model-catalog.h"
#include "peel-util.h"

G_DEFINE_QUARK (peel-gemini-error-quark, peel_gemini_error)

/**
 * peel_gemini_error_is_retryable:
 * @error: (nullable): an error from the client
 *
 * Whether trying the same request again may succeed. Nothing that was billed is
 * retryable: a blocked or image-less answer came with HTTP 200.
 */
gboolean
peel_gemini_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != PEEL_GEMINI_ERROR)
    return FALSE;

  switch ((PeelGeminiError) error->code)
    {
    case PEEL_GEMINI_ERROR_RATE_LIMITED:
    case PEEL_GEMINI_ERROR_SERVER:
    case PEEL_GEMINI_ERROR_NETWORK:
    case PEEL_GEMINI_ERROR_TIMEOUT:
      return TRUE;

    case PEEL_GEMINI_ERROR_INVALID_REQUEST:
    case PEEL_GEMINI_ERROR_INVALID_KEY:
    case PEEL_GEMINI_ERROR_PERMISSION:
    case PEEL_GEMINI_ERROR_NOT_FOUND:
    case PEEL_GEMINI_ERROR_BLOCKED:
    case PEEL_GEMINI_ERROR_NO_IMAGE:
    case PEEL_GEMINI_ERROR_MALFORMED:
    case PEEL_GEMINI_ERROR_TOO_LARGE:
    case PEEL_GEMINI_ERROR_BAD_INPUT:
    case PEEL_GEMINI_ERROR_INSECURE:
    default:
      return FALSE;
    }
}

/**
 * peel_gemini_error_code_from_data:
 * @data_error: a #PEEL_DATA_ERROR from base (base64, image probing)
 *
 * Returns: the protocol's code for the same fault: a reply or an image that is damaged,
 *   too large, or in no format Peel reads
 */
PeelGeminiError
peel_gemini_error_code_from_data (const GError *data_error)
{
  g_return_val_if_fail (data_error != NULL, PEEL_GEMINI_ERROR_MALFORMED);

  if (data_error->domain != PEEL_DATA_ERROR)
    return PEEL_GEMINI_ERROR_MALFORMED;

  switch ((PeelDataError) data_error->code)
    {
    case PEEL_DATA_ERROR_TOO_LARGE:
      return PEEL_GEMINI_ERROR_TOO_LARGE;
    case PEEL_DATA_ERROR_UNSUPPORTED:
      return PEEL_GEMINI_ERROR_BAD_INPUT;
    case PEEL_DATA_ERROR_MALFORMED:
    default:
      return PEEL_GEMINI_ERROR_MALFORMED;
    }
}

/**
 * peel_gemini_error_propagate_data:
 * @error: (out) (optional): return location for an error
 * @data_error: (transfer full): an error from base
 *
 * Propagates @data_error into @error in the protocol's domain, keeping its message, so that
 * whoever reads the client's errors (the window, the CLI's exit status) meets one domain.
 * Errors of any other domain pass as they are.
 */
void
peel_gemini_error_propagate_data (GError **error,
                                  GError  *data_error)
{
  g_return_if_fail (data_error != NULL);

  if (data_error->domain == PEEL_DATA_ERROR)
    {
      data_error->code = peel_gemini_error_code_from_data (data_error);
      data_error->domain = PEEL_GEMINI_ERROR;
    }
  g_propagate_error (error, data_error);
}

/* What a refusal said, once read. */
typedef struct
{
  char       *message;       /* the service's own words, sanitized, or NULL */
  const char *status_name;   /* "RESOURCE_EXHAUSTED", … (points into the JSON) */
  const char *reason;        /* google.rpc.ErrorInfo.reason */
  double      delay;         /* google.rpc.RetryInfo.retryDelay in seconds, or -1 */
  double      text_delay;    /* "Please retry in 12.59s." in the message, or -1 */
} RefusalInfo;

static gboolean
is_url_char (char c)
{
  return c > ' ' && c != '"' && c != '\'' && c != '<' && c != '>' && c != ')' &&
         c != ']' && c != '}' && (guchar) c < 0x80;
}

static gboolean
is_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

static gsize
key_run (const char *s,
         gsize       len)
{
  gsize n = 0;

  while (n < len && is_key_char (s[n]))
    n++;
  return n;
}

/**
 * peel_gemini_error_sanitize:
 * @text: words from a service or a proxy
 * @len: their length, or -1 if NUL-terminated
 * @max_chars: the most characters to keep, 0 for no limit
 *
 * Makes outside text fit to show in a message: valid UTF-8 on one line, with
 * no query strings on URLs and no API keys (`AIza…`, `sk-…`, `key=…`,
 * `Bearer …`), shortened with an ellipsis.
 *
 * Returns: (transfer full): the cleaned text, possibly empty
 */
char *
peel_gemini_error_sanitize (const char *text,
                            gssize      len,
                            gsize       max_chars)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) out = NULL;
  gsize n;
  gsize i = 0;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, len);
  n = strlen (valid);
  out = g_string_sized_new (MIN (n, 1024));

  while (i < n)
    {
      const char *p = valid + i;
      char c = *p;

      if (g_str_has_prefix (p, "http://") || g_str_has_prefix (p, "https://"))
        {
          gsize end = i;
          const char *query;

          while (end < n && is_url_char (valid[end]))
            end++;
          /* A sentence may end right after a URL. */
          while (end > i && (valid[end - 1] == '.' || valid[end - 1] == ','))
            end--;
          query = memchr (p, '?', end - i);
          g_string_append_len (out, p, (query != NULL ? (gsize) (query - p) : end - i));
          i = end;
          continue;
        }

      if ((i == 0 || !is_key_char (valid[i - 1])) &&
          ((g_str_has_prefix (p, "AIza") && key_run (p, n - i) >= 30) ||
           (g_str_has_prefix (p, "sk-") && key_run (p + 3, n - i - 3) >= 16)))
        {
          g_string_append (out, "[hidden]");
          i += key_run (p, n - i);
          if (g_str_has_prefix (p, "sk-"))
            i += key_run (valid + i, n - i);
          continue;
        }

      if (g_ascii_strncasecmp (p, "key=", 4) == 0 && (i == 0 || !is_key_char (valid[i - 1])))
        {
          g_string_append_len (out, p, 4);
          g_string_append (out, "[hidden]");
          i += 4;
          while (i < n && valid[i] != '&' && !g_ascii_isspace (valid[i]) && valid[i] != '"')
            i++;
          continue;
        }

      if (g_ascii_strncasecmp (p, "bearer ", 7) == 0 && key_run (p + 7, n - i - 7) >= 8)
        {
          g_string_append_len (out, p, 7);
          g_string_append (out, "[hidden]");
          i += 7;
          while (i < n && !g_ascii_isspace (valid[i]) && valid[i] != '"')
            i++;
          continue;
        }

      if ((guchar) c < ' ' || c == 0x7f)
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          i++;
          continue;
        }

      if (c == ' ' && out->len > 0 && out->str[out->len - 1] == ' ')
        {
          i++;
          continue;
        }

      g_string_append_c (out, c);
      i++;
    }

  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len > 0 && out->str[0] == ' ')
    g_string_erase (out, 0, 1);

  if (max_chars > 0)
    return peel_utf8_shorten (out->str, max_chars);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A protobuf Duration as JSON: "12s", "2.500s". */
static double
parse_duration (const char *text)
{
  char *end = NULL;
  double value;

  if (text == NULL)
    return -1;

  value = g_ascii_strtod (text, &end);
  if (end == text || value < 0 || !isfinite (value) || g_strcmp0 (end, "s") != 0)
    return -1;

  return value;
}

/* "… Please retry in 12.595337758s." and "… retry in 623.3ms" */
static double
parse_retry_in_text (const char *message)
{
  const char *p;
  char *end = NULL;
  double value;

  if (message == NULL)
    return -1;

  for (p = message; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, "retry in ", 9) == 0)
      break;
  if (*p == '\0')
    return -1;

  p += 9;
  value = g_ascii_strtod (p, &end);
  if (end == p || value < 0 || !isfinite (value))
    return -1;
  if (g_str_has_prefix (end, "ms"))
    return value / 1000.0;
  if (*end == 's')
    return value;

  return -1;
}

/**
 * peel_gemini_error_parse_retry_after:
 * @header: (nullable): the value of a `Retry-After` header
 *
 * Returns: the seconds to wait (delay-seconds or an HTTP date), or -1 if
 *   there is no usable value
 */
double
peel_gemini_error_parse_retry_after (const char *header)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *p;
  guint64 seconds;

  if (header == NULL)
    return -1;

  while (g_ascii_isspace (*header))
    header++;

  for (p = header; g_ascii_isdigit (*p); p++)
    ;
  if (p != header)
    {
      g_autofree char *digits = g_strndup (header, p - header);

      while (g_ascii_isspace (*p))
        p++;
      if (*p != '\0' ||
          !g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT32, &seconds, NULL))
        return -1;
      return (double) seconds;
    }

  date = soup_date_time_new_from_http_string (header);
  if (date == NULL)
    return -1;

  now = g_date_time_new_now_utc ();
  return MAX (0.0, (double) g_date_time_difference (date, now) / G_TIME_SPAN_SECOND);
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static void
read_refusal (JsonObject  *object,
              guint       *status,
              RefusalInfo *info)
{
  JsonNode *code;
  JsonNode *details;
  const char *message;

  code = json_object_get_member (object, "code");
  if (code != NULL && JSON_NODE_HOLDS_VALUE (code))
    {
      if (json_node_get_value_type (code) == G_TYPE_INT64)
        {
          gint64 value = json_node_get_int (code);

          if ((*status == 0 || *status == 200) && value >= 100 && value < 600)
            *status = (guint) value;
        }
      else if (json_node_get_value_type (code) == G_TYPE_STRING && info->reason == NULL)
        {
          /* OpenAI-shaped proxies: "code": "invalid_api_key" */
          info->reason = json_node_get_string (code);
        }
    }

  message = get_string_member (object, "message");
  if (message != NULL && info->message == NULL)
    info->message = peel_gemini_error_sanitize (message, -1, 300);
  if (info->status_name == NULL)
    info->status_name = get_string_member (object, "status");

  details = json_object_get_member (object, "details");
  if (details != NULL && JSON_NODE_HOLDS_ARRAY (details))
    {
      JsonArray *array = json_node_get_array (details);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *detail;
          const char *type;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          detail = json_node_get_object (node);
          type = get_string_member (detail, "@type");
          if (type == NULL)
            continue;

          if (g_str_has_suffix (type, "google.rpc.ErrorInfo"))
            {
              if (info->reason == NULL)
                info->reason = get_string_member (detail, "reason");
            }
          else if (g_str_has_suffix (type, "google.rpc.RetryInfo"))
            {
              if (info->delay < 0)
                info->delay = parse_duration (get_string_member (detail, "retryDelay"));
            }
        }
    }

  if (info->text_delay < 0)
    info->text_delay = parse_retry_in_text (message);
}

/* The structured field first, then the message, then the header. */
static double
choose_delay (const RefusalInfo *info,
              const char        *retry_after_header)
{
  if (info->delay >= 0)
    return info->delay;
  if (info->text_delay >= 0)
    return info->text_delay;
  return peel_gemini_error_parse_retry_after (retry_after_header);
}

/* For a refusal that names no HTTP status, as in a stream. */
static guint
status_from_name (const char *name)
{
  static const struct { const char *name; guint status; } names[] = {
    { "INVALID_ARGUMENT", 400 },
    { "FAILED_PRECONDITION", 400 },
    { "OUT_OF_RANGE", 400 },
    { "UNAUTHENTICATED", 401 },
    { "PERMISSION_DENIED", 403 },
    { "NOT_FOUND", 404 },
    { "RESOURCE_EXHAUSTED", 429 },
    { "CANCELLED", 499 },
    { "INTERNAL", 500 },
    { "UNKNOWN", 500 },
    { "UNAVAILABLE", 503 },
    { "DEADLINE_EXCEEDED", 504 },
  };

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (names); i++)
    if (strcmp (name, names[i].name) == 0)
      return names[i].status;

  return 500;
}

/* "models/gemini-x is not found for API version v1beta…" */
static char *
model_from_message (const char *message)
{
  const char *p;
  gsize n = 0;

  if (message == NULL || (p = strstr (message, "models/")) == NULL)
    return NULL;

  p += strlen ("models/");
  while (p[n] != '\0' && (g_ascii_isalnum (p[n]) || strchr ("-._", p[n]) != NULL))
    n++;
  while (n > 0 && p[n - 1] == '.')
    n--;

  return n > 0 ? g_strndup (p, n) : NULL;
}

static char *
format_delay (double seconds)
{
  double whole = ceil (seconds);

  if (whole < 1)
    whole = 1;
  if (whole < 90)
    /* Translators: a wait in seconds, as in “Google asks to wait 12 s” */
    return g_strdup_printf (_("%d s"), (int) whole);

  /* Translators: a wait in minutes, as in “Google asks to wait 3 min” */
  return g_strdup_printf (_("%d min"), (int) floor (whole / 60 + 0.5));
}

static gboolean
says_key_invalid (guint              status,
                  const RefusalInfo *info)
{
  if (status == 401 || g_strcmp0 (info->status_name, "UNAUTHENTICATED") == 0)
    return TRUE;
  if (g_strcmp0 (info->reason, "API_KEY_INVALID") == 0 ||
      g_strcmp0 (info->reason, "invalid_api_key") == 0)
    return TRUE;
  return status == 400 && info->message != NULL && strstr (info->message, "API key not valid");
}

static void
set_refusal (GError            **error,
             guint               status,
             const RefusalInfo  *info,
             const char         *model)
{
  g_autofree char *quote = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *model_name = NULL;
  g_autofree char *shut_down = NULL;
  const char *phrase = soup_status_get_phrase (status);

  if (phrase == NULL || *phrase == '\0')
    phrase = "";

  if (info->message != NULL && info->message[0] != '\0')
    quote = g_strdup_printf ("“%s”", info->message);
  if (quote != NULL)
    detail = g_strdup_printf ("HTTP %u: %s", status, quote);
  else
    detail = g_strstrip (g_strdup_printf ("HTTP %u %s", status, phrase));
  if (quote == NULL)
    quote = g_strdup (detail);

  if (says_key_invalid (status, info))
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_KEY,
                   /* Translators: %s is the service's own message, in quotes */
                   _("The API key was refused: %s. Check it in Preferences."), quote);
      return;
    }

  switch (status)
    {
    case 403:
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_PERMISSION,
                   _("Access was denied: %s. Check the key's project and billing, or choose "
                     "another model in Preferences."), quote);
      return;

    case 404:
      model_name = model != NULL ? peel_gemini_error_sanitize (model, -1, 100)
                                 : model_from_message (info->message);
      if (model_name != NULL && (shut_down = peel_model_dup_shut_down_message (model_name)) != NULL)
        {
          const char *replacement = peel_model_get_replacement (model_name);

          if (replacement != NULL)
            g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NOT_FOUND,
                         /* Translators: the first %s says which model was shut down and what to
                          * use, the second is that model's id */
                         _("%s The model's id is %s; choose it in the prompt bar or in "
                           "Preferences."), shut_down, replacement);
          else
            g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NOT_FOUND,
                         _("%s Choose another model in the prompt bar or in Preferences."),
                         shut_down);
        }
      else if (model_name != NULL)
        g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NOT_FOUND,
                     /* Translators: the first %s is a model id, the second the service's message */
                     _("The model “%s” was not found: %s. Check the model name and the "
                       "provider in Preferences."), model_name, quote);
      else
        g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NOT_FOUND,
                     _("The model or address was not found: %s. Check the model name and the "
                       "provider in Preferences."), quote);
      return;

    case 408:
    case 504:
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TIMEOUT,
                   _("The service did not finish in time (%s). Try again; large images can "
                     "take a minute or two."), detail);
      return;

    case 413:
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE,
                   _("The request is too large for the service (%s). Use fewer or smaller "
                     "reference images."), detail);
      return;

    case 429:
      if (info->delay >= 0)
        {
          g_autofree char *wait = format_delay (info->delay);

          g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_RATE_LIMITED,
                       /* Translators: the first %s is a wait such as “12 s”, the second the
                        * service's own message in quotes */
                       _("Google asks to wait %s (rate limit or quota): %s. Try again then; "
                         "if it keeps happening, check the quota of the key's project."),
                       wait, quote);
        }
      else
        {
          g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_RATE_LIMITED,
                       _("The service refused the request for now (rate limit or quota): %s. "
                         "Wait a minute and try again; if it keeps happening, check the quota "
                         "of the key's project."), quote);
        }
      return;

    default:
      break;
    }

  if (status >= 500 && status < 600)
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER,
                   _("The service had a problem (%s). Try again in a moment."), detail);
    }
  else if (status >= 400 && status < 500)
    {
      const char *hint = "";

      if (info->message != NULL && strstr (info->message, "thought_signature") != NULL)
        hint = _(" The history sent with it lacks the model's signatures: continue from an "
                 "image made in this session, or start a new one.");
      else if (g_strcmp0 (info->status_name, "FAILED_PRECONDITION") == 0)
        hint = _(" Image generation may need billing on the key's project, or may not be "
                 "offered in your region.");

      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_REQUEST,
                   /* Translators: the second %s is a hint, or empty */
                   _("The service refused the request (%s).%s"), detail, hint);
    }
  else
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                   _("The service answered with %s, which Peel does not expect. Check the "
                     "provider's address in Preferences."), detail);
    }
}

/**
 * peel_gemini_error_set_from_object:
 * @error: return location for an error
 * @status: the HTTP status, or 0 when there is none (an error inside a stream)
 * @object: the value of an `"error"` member: `{code, message, status, details}`
 * @model: (nullable): the model that was asked for, to name it
 * @retry_delay_seconds: (out) (optional): the wait the service asked for, or -1
 *
 * Sets @error from an error object in Google's shape (or a proxy's). With no
 * @status, its `code` or `status` decides the kind.
 */
void
peel_gemini_error_set_from_object (GError     **error,
                                   guint        status,
                                   JsonObject  *object,
                                   const char  *model,
                                   double      *retry_delay_seconds)
{
  RefusalInfo info = { NULL, NULL, NULL, -1, -1 };

  g_return_if_fail (object != NULL);

  read_refusal (object, &status, &info);
  if (status == 0 || status == 200)
    status = status_from_name (info.status_name);
  info.delay = choose_delay (&info, NULL);

  set_refusal (error, status, &info, model);
  if (retry_delay_seconds != NULL)
    *retry_delay_seconds = info.delay;

  g_free (info.message);
}

/* An error page that is no JSON: the first line of text, or an HTML page's title when it
 * says more than the status does. Never the page itself. */
static char *
message_from_page (guint       status,
                   const char *body,
                   gsize       len)
{
  gsize start = 0;
  gsize end;

  while (start < len && g_ascii_isspace (body[start]))
    start++;
  if (start == len)
    return NULL;

  if (body[start] == '<')
    {
      gsize window = MIN (len - start, 8192);
      g_autofree char *head = g_ascii_strdown (body + start, window);
      const char *open = strstr (head, "<title");
      const char *close;
      g_autofree char *title = NULL;
      g_autofree char *status_text = g_strdup_printf ("%u", status);

      if (open == NULL || (open = strchr (open, '>')) == NULL ||
          (close = strstr (open, "</title")) == NULL)
        return NULL;

      open++;
      title = peel_gemini_error_sanitize (body + start + (open - head), close - open, 200);
      if (title[0] == '\0' || strstr (title, status_text) != NULL ||
          strchr (title, '<') != NULL ||
          g_ascii_strcasecmp (title, soup_status_get_phrase (status)) == 0)
        return NULL;
      return g_steal_pointer (&title);
    }

  for (end = start; end < len && body[end] != '\n' && body[end] != '\r'; end++)
    ;

  return peel_gemini_error_sanitize (body + start, end - start, 200);
}

/**
 * peel_gemini_error_set_from_http_for_model:
 * @error: return location for an error
 * @status: the HTTP status of a refused request
 * @body: (nullable): the response body
 * @len: its length
 * @retry_after_header: (nullable): the `Retry-After` header
 * @model: (nullable): the model that was asked for
 * @retry_delay_seconds: (out) (optional): the wait the service asked for
 *   (`RetryInfo`, else "Please retry in …", else `Retry-After`), or -1
 *
 * Like peel_gemini_error_set_from_http(), naming @model when it was not found.
 */
void
peel_gemini_error_set_from_http_for_model (GError     **error,
                                           guint        status,
                                           const char  *body,
                                           gsize        len,
                                           const char  *retry_after_header,
                                           const char  *model,
                                           double      *retry_delay_seconds)
{
  RefusalInfo info = { NULL, NULL, NULL, -1, -1 };
  g_autoptr(JsonNode) document = NULL;
  JsonObject *object = NULL;

  /* Through the bounded reader: a body nested 100 000 levels deep is read as a page. */
  if (body != NULL && len > 0)
    document = peel_json_reader_parse (body, len, PEEL_JSON_MAX_ERROR_BYTES, NULL);
  if (document != NULL)
    {
      JsonNode *root = document;

      /* The `alt=json` stream wraps the error in an array. */
      if (JSON_NODE_HOLDS_ARRAY (root) && json_array_get_length (json_node_get_array (root)) > 0)
        root = json_array_get_element (json_node_get_array (root), 0);

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *top = json_node_get_object (root);
          JsonNode *inner = json_object_get_member (top, "error");

          if (inner != NULL && JSON_NODE_HOLDS_OBJECT (inner))
            object = json_node_get_object (inner);
          else if (get_string_member (top, "error") != NULL)
            info.message = peel_gemini_error_sanitize (get_string_member (top, "error"), -1, 300);
          else
            object = top;
        }
    }

  if (object != NULL)
    {
      guint object_status = status;

      /* The HTTP status decides; the body only adds words and details. */
      read_refusal (object, &object_status, &info);
    }
  else if (info.message == NULL && body != NULL && len > 0)
    {
      info.message = message_from_page (status, body, len);
    }

  info.delay = choose_delay (&info, retry_after_header);

  set_refusal (error, status, &info, model);
  if (retry_delay_seconds != NULL)
    *retry_delay_seconds = info.delay;

  g_free (info.message);
}

/**
 * peel_gemini_error_set_from_http:
 * @error: return location for an error
 * @status: the HTTP status of a refused request
 * @body: (nullable): the response body
 * @len: its length
 * @retry_after_header: (nullable): the `Retry-After` header
 * @retry_delay_seconds: (out) (optional): the wait the service asked for, or -1
 *
 * Sets @error to what a refusal means and what to do about it, quoting the
 * service's own message (Google's JSON error body, or the first line of a
 * proxy's page), without URL queries or API keys.
 */
void
peel_gemini_error_set_from_http (GError     **error,
                                 guint        status,
                                 const char  *body,
                                 gsize        len,
                                 const char  *retry_after_header,
                                 double      *retry_delay_seconds)
{
  peel_gemini_error_set_from_http_for_model (error, status, body, len, retry_after_header, NULL,
                                             retry_delay_seconds);
}
