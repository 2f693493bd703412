/* peel-gemini-client.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-gemini-reply.h"
#include "peel-gemini-request.h"
#include "peel-provider.h"
#include "peel-gemini-types.h"

G_BEGIN_DECLS

#define PEEL_TYPE_GEMINI_CLIENT (peel_gemini_client_get_type ())

G_DECLARE_FINAL_TYPE (PeelGeminiClient, peel_gemini_client, PEEL, GEMINI_CLIENT, GObject)

PeelGeminiClient *peel_gemini_client_new              (PeelProvider        *provider,
                                                       const char          *api_key);
PeelProvider     *peel_gemini_client_get_provider     (PeelGeminiClient    *self);
PeelGeminiRequest *peel_gemini_client_get_signal_request (PeelGeminiClient  *self);
void              peel_gemini_client_set_max_attempts (PeelGeminiClient    *self,
                                                       guint                max_attempts);
void              peel_gemini_client_set_backoff      (PeelGeminiClient    *self,
                                                       double               initial_seconds,
                                                       double               max_seconds);
void              peel_gemini_client_set_timeout      (PeelGeminiClient    *self,
                                                       guint                seconds);
guint             peel_gemini_client_get_timeout      (PeelGeminiClient    *self);
void              peel_gemini_client_set_stream_idle_timeout (PeelGeminiClient *self,
                                                              guint             seconds);
void              peel_gemini_client_set_max_reply_bytes (PeelGeminiClient *self,
                                                          gsize             max_bytes);
void              peel_gemini_client_generate_async   (PeelGeminiClient    *self,
                                                       PeelGeminiRequest   *request,
                                                       gboolean             stream,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
PeelGeminiReply  *peel_gemini_client_generate_finish  (PeelGeminiClient    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void              peel_gemini_client_list_models_async  (PeelGeminiClient    *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray        *peel_gemini_client_list_models_finish (PeelGeminiClient    *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

char             *peel_gemini_client_describe_size    (const char          *model,
                                                       const char          *aspect_ratio,
                                                       PeelImageSize        size,
                                                       PeelGeminiReply     *reply,
                                                       gboolean            *matches);

G_END_DECLS
