/* gk-test-profile.h: a real lab's oauth-config.json, plain or gzipped, for
 * the tests that make profiles from it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

/* A real lab's file as IGV reads it, including keys IGV ignores. */
#define IGV_CONFIG \
  "{\n" \
  "  \"client_id\": \"4abc5def6ghi\",\n" \
  "  \"auth_uri\": \"https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize\",\n" \
  "  \"token_uri\": \"https://lab.auth.eu-west-2.amazoncognito.com/oauth2/token\",\n" \
  "  \"scope\": \"email%20openid%20profile\",\n" \
  "  \"redirect_uris\": [\"http://localhost:60151/oauthCallback\"],\n" \
  "  \"aws_region\": \"eu-west-2\",\n" \
  "  \"aws_cognito_pool_id\": \"eu-west-2_AbCdEf123\",\n" \
  "  \"aws_cognito_fed_pool_id\": \"eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789\",\n" \
  "  \"aws_cognito_role_arn\": \"arn:aws:iam::123456789012:role/LabReaders\",\n" \
  "  \"project_id\": \"igv\",\n" \
  "  \"auth_provider_x509_cert_url\": \"https://example.org/certs\"\n" \
  "}\n"

/* @text gzipped, as a provisioning server may send a profile. */
GBytes *gk_test_gzip (const char *text);
