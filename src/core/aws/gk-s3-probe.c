/* gk-s3-probe.c: GkS3Probe
 *
 * How the listings are cut. The unknown candidate keys of a bucket are
 * sorted (bytewise, as S3 sorts) and cut into runs of at most
 * CHUNK_CANDIDATES that stay within one top-level folder. Each run is read
 * by its own chain of ListObjectsV2 requests: prefix = the longest common
 * prefix of the run's first and last key (every key between them in S3's
 * order shares it), StartAfter = just before the first key, no delimiter,
 * stopping once the listing passes the run's last key. The chains run side
 * by side (GkParallel), so a cohort of 10,000 sample folders is read by a
 * few dozen requests at once rather than 10,000 listings, or 20,000 HEADs,
 * one after another.
 *
 * A chain whose first page shows its candidates far apart (a few hundred
 * BAMs among tens of thousands of other keys) hands the rest to several
 * shorter chains, so many pages are read side by side, not in a row.
 *
 * Why a chain may give up: between two wanted keys there may be any number
 * of other keys (a folder of 100,000 FASTQ chunks). Once a chain has spent
 * as many pages as it has candidates left, HEADs are cheaper, so the rest
 * of its candidates go to HEAD. A listing never costs much more than the
 * HEADs it replaces, and usually a few hundred times less.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-parallel.h"
#include "gk-s3-probe.h"

/* Candidates per listing chain: about a page of a cohort's keys (a sample
 * folder holds the data files beside their indexes), so chains rarely need
 * a second page and there are enough of them to run side by side. */
#define CHUNK_CANDIDATES 500

typedef enum
{
  CAND_UNKNOWN,
  CAND_FOUND,
  CAND_ABSENT,
} CandState;

typedef struct
{
  char *key;
  CandState state;
  gboolean listing;     /* a listing chain still covers it */
  GArray *questions;    /* of guint: the questions that name it */
} Candidate;

typedef struct
{
  char *name;
  GHashTable *candidates; /* key → Candidate */
  GPtrArray *listings;    /* of Listing */
  GError *region_error;
} Bucket;

typedef struct
{
  char *prefix;
  GHashTable *keys;       /* every key under prefix */
} Listing;

typedef struct
{
  Bucket *bucket;
  Candidate **candidates; /* in order of preference */
  guint n_candidates;
  guint next;             /* the first not known to be missing */
  gboolean done;
  gboolean head_queued;
  const char *found;
  GError *error;
} Question;

struct _GkS3Probe
{
  GObject parent_instance;

  GkS3Client *client;
  guint max_in_flight;
  gboolean use_listings;
  GHashTable *buckets;   /* name → Bucket */
  GPtrArray *questions;  /* of Question */
  GkParallel *parallel;  /* while running */
  guint n_done;
  guint n_lists;
  guint n_heads;
  gboolean running;

  GkS3ProbeProgressFunc progress_func;
  gpointer progress_data;
  GDestroyNotify progress_notify;
};

G_DEFINE_FINAL_TYPE (GkS3Probe, gk_s3_probe, G_TYPE_OBJECT)

static void
candidate_free (Candidate *c)
{
  g_free (c->key);
  g_array_unref (c->questions);
  g_free (c);
}

static void
listing_free (Listing *l)
{
  g_free (l->prefix);
  g_hash_table_unref (l->keys);
  g_free (l);
}

static void
bucket_free (Bucket *b)
{
  g_free (b->name);
  g_hash_table_unref (b->candidates);
  g_ptr_array_unref (b->listings);
  g_clear_error (&b->region_error);
  g_free (b);
}

static void
question_free (Question *q)
{
  g_free (q->candidates);
  g_clear_error (&q->error);
  g_free (q);
}

static Bucket *
bucket_for (GkS3Probe  *self,
            const char *name)
{
  Bucket *b = g_hash_table_lookup (self->buckets, name);

  if (b == NULL)
    {
      b = g_new0 (Bucket, 1);
      b->name = g_strdup (name);
      b->candidates = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) candidate_free);
      b->listings = g_ptr_array_new_with_free_func ((GDestroyNotify) listing_free);
      g_hash_table_insert (self->buckets, b->name, b);
    }
  return b;
}

/* ---- answering questions ------------------------------------------------ */

static void queue_head (GkS3Probe *self, guint question);

static void
question_done (GkS3Probe  *self,
               Question   *q,
               const char *found,
               GError     *error)
{
  q->done = TRUE;
  q->found = found;
  q->error = error;
  self->n_done++;
  if (self->progress_func != NULL)
    self->progress_func (self, self->n_done, self->questions->len, self->progress_data);
}

/* Moves @q on as far as what is known allows: to its answer, to a wait for
 * a listing, or to a HEAD. */
static void
advance (GkS3Probe *self,
         guint      index)
{
  Question *q = self->questions->pdata[index];

  if (q->done)
    return;
  if (q->bucket->region_error != NULL)
    {
      question_done (self, q, NULL, g_error_copy (q->bucket->region_error));
      return;
    }
  for (; q->next < q->n_candidates; q->next++)
    {
      Candidate *c = q->candidates[q->next];

      if (c->state == CAND_FOUND)
        {
          question_done (self, q, c->key, NULL);
          return;
        }
      if (c->state == CAND_UNKNOWN)
        {
          if (!c->listing && !q->head_queued)
            queue_head (self, index);
          return;
        }
    }
  question_done (self, q, NULL, NULL);
}

static void
advance_candidate (GkS3Probe *self,
                   Candidate *c)
{
  for (guint i = 0; i < c->questions->len; i++)
    advance (self, g_array_index (c->questions, guint, i));
}

/* ---- HEAD, for what no listing answered --------------------------------- */

typedef struct
{
  GkS3Probe *self;
  guint question;
  Candidate *asked;      /* the key in flight: other answers may move the question on */
  GkParallelJob *job;
  GCancellable *cancellable;
} HeadJob;

static void head_next (HeadJob *h);

static void
head_job_free (HeadJob *h)
{
  g_free (h);
}

static void
on_head_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  HeadJob *h = user_data;
  GkS3Probe *self = h->self;
  Question *q = self->questions->pdata[h->question];
  Candidate *c = h->asked;
  g_autoptr(GkS3Object) object_ = NULL;
  g_autoptr(GError) error = NULL;

  object_ = gk_s3_client_head_object_finish (GK_S3_CLIENT (object), result, &error);
  if (object_ != NULL)
    c->state = CAND_FOUND;
  /* Without s3:ListBucket a missing key is 403 rather than 404; either way
   * this name is not usable (as for a single file, gk-links.c). */
  else if (g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_NO_SUCH_KEY)
           || g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_ACCESS_DENIED))
    c->state = CAND_ABSENT;
  else
    {
      if (!q->done)
        question_done (self, q, NULL, g_error_copy (error));
      gk_parallel_job_return_error (h->job, g_steal_pointer (&error));
      return;
    }
  /* Other questions naming the same key learn it too. */
  advance_candidate (self, c);
  head_next (h);
}

static void
head_next (HeadJob *h)
{
  GkS3Probe *self = h->self;
  Question *q = self->questions->pdata[h->question];

  while (!q->done && q->next < q->n_candidates)
    {
      Candidate *c = q->candidates[q->next];

      if (c->state == CAND_FOUND)
        {
          question_done (self, q, c->key, NULL);
          break;
        }
      if (c->state == CAND_UNKNOWN)
        {
          self->n_heads++;
          h->asked = c;
          gk_s3_client_head_object_async (self->client, q->bucket->name, c->key, h->cancellable,
                                          on_head_cb, h);
          return;
        }
      q->next++;
    }
  if (!q->done)
    question_done (self, q, NULL, NULL);
  gk_parallel_job_return (h->job, NULL, NULL);
}

static void
start_head (GkParallelJob *job,
            gpointer       job_data,
            GCancellable  *cancellable)
{
  HeadJob *h = job_data;

  h->job = job;
  h->cancellable = cancellable;
  head_next (h);
}

static void
queue_head (GkS3Probe *self,
            guint      question)
{
  Question *q = self->questions->pdata[question];
  HeadJob *h = g_new0 (HeadJob, 1);

  q->head_queued = TRUE;
  h->self = self;
  h->question = question;
  gk_parallel_add (self->parallel, start_head, h, (GDestroyNotify) head_job_free);
}

/* ---- listing chains ----------------------------------------------------- */

typedef struct
{
  GkS3Probe *self;
  Bucket *bucket;
  char *prefix;
  char *start_after;
  Candidate **candidates; /* sorted */
  guint n;
  guint pos;              /* the first not yet passed by the listing */
  guint pages;
  GkParallelJob *job;
  GCancellable *cancellable;
} Chain;

static void
chain_free (Chain *ch)
{
  g_free (ch->prefix);
  g_free (ch->start_after);
  g_free (ch->candidates);
  g_free (ch);
}

/* The chain stops covering its remaining candidates: what it could not
 * answer goes to HEAD (or, at the end of the listing, is known missing). */
static void
chain_release (Chain    *ch,
               gboolean  end_of_listing)
{
  for (guint i = ch->pos; i < ch->n; i++)
    {
      Candidate *c = ch->candidates[i];

      c->listing = FALSE;
      if (end_of_listing && c->state == CAND_UNKNOWN)
        c->state = CAND_ABSENT;
    }
  for (guint i = ch->pos; i < ch->n; i++)
    advance_candidate (ch->self, ch->candidates[i]);
  ch->pos = ch->n;
}

static void chain_next_page (Chain *ch, const char *token);
static void add_chain (GkS3Probe *self, Bucket *bucket, GPtrArray *sorted, guint from, guint to);

/* After a chain's first page: if the rest of its candidates would take
 * more than a couple of pages at the density that page showed (a folder of
 * 200 BAMs among 20,000 keys), hands them to shorter chains that run side
 * by side. Returns whether it did; the candidates stay covered. */
static gboolean
split_rest (Chain *ch)
{
  guint passed = ch->pos;
  guint left = ch->n - ch->pos;
  guint pages_left, parts, per_part;
  g_autoptr(GPtrArray) rest = NULL;

  if (left < 2)
    return FALSE;
  /* No candidate passed on a whole page: the density is unknown but low. */
  pages_left = passed > 0 ? (left + passed - 1) / passed : left;
  if (pages_left <= 2)
    return FALSE;
  parts = MIN (MIN (left, (pages_left + 1) / 2), GK_PARALLEL_DEFAULT_IN_FLIGHT);
  if (parts < 2)
    return FALSE;
  rest = g_ptr_array_new ();
  for (guint i = ch->pos; i < ch->n; i++)
    g_ptr_array_add (rest, ch->candidates[i]);
  per_part = (left + parts - 1) / parts;
  for (guint start = 0; start < left; start += per_part)
    add_chain (ch->self, ch->bucket, rest, start, MIN (start + per_part, left));
  ch->pos = ch->n;
  return TRUE;
}

static void
on_chain_page_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Chain *ch = user_data;
  GkS3Probe *self = ch->self;
  g_autoptr(GkS3ListPage) page = NULL;
  g_autoptr(GError) error = NULL;
  guint first = ch->pos;

  page = gk_s3_client_list_page_finish (GK_S3_CLIENT (object), result, &error);
  if (page == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gk_parallel_job_return_error (ch->job, g_steal_pointer (&error));
          return;
        }
      /* Refused (no s3:ListBucket, outside the allowed prefixes) or
       * failed: single lookups answer as they would have without listing,
       * errors included. */
      g_debug ("Listing s3://%s/%s failed, asking HEAD instead: %s", ch->bucket->name,
               ch->prefix, error->message);
      chain_release (ch, FALSE);
      gk_parallel_job_return (ch->job, NULL, NULL);
      return;
    }
  ch->pages++;

  for (guint i = 0; i < page->objects->len && ch->pos < ch->n; i++)
    {
      const char *key = ((GkS3Object *) page->objects->pdata[i])->key;

      while (ch->pos < ch->n)
        {
          Candidate *c = ch->candidates[ch->pos];
          int cmp = strcmp (c->key, key);

          if (cmp > 0)
            break;
          if (c->state == CAND_UNKNOWN)
            c->state = cmp == 0 ? CAND_FOUND : CAND_ABSENT;
          c->listing = FALSE;
          ch->pos++;
        }
    }
  for (guint i = first; i < ch->pos; i++)
    advance_candidate (self, ch->candidates[i]);

  if (ch->pos == ch->n)
    {
      gk_parallel_job_return (ch->job, NULL, NULL);
      return;
    }
  if (!page->truncated || page->next_token == NULL)
    {
      chain_release (ch, TRUE);
      gk_parallel_job_return (ch->job, NULL, NULL);
      return;
    }
  /* Many pages to go at this density: read the rest as several shorter
   * chains side by side rather than one page after another. */
  if (ch->pages == 1 && split_rest (ch))
    {
      gk_parallel_job_return (ch->job, NULL, NULL);
      return;
    }
  /* Sparse: as many pages spent as candidates left. HEAD is cheaper now. */
  if (ch->pages >= ch->n - ch->pos)
    {
      chain_release (ch, FALSE);
      gk_parallel_job_return (ch->job, NULL, NULL);
      return;
    }
  chain_next_page (ch, page->next_token);
}

static void
chain_next_page (Chain      *ch,
                 const char *token)
{
  ch->self->n_lists++;
  gk_s3_client_list_page_after_async (ch->self->client, ch->bucket->name, ch->prefix, NULL,
                                      token == NULL ? ch->start_after : NULL, token, 0,
                                      ch->cancellable, on_chain_page_cb, ch);
}

static void
start_chain (GkParallelJob *job,
             gpointer       job_data,
             GCancellable  *cancellable)
{
  Chain *ch = job_data;

  ch->job = job;
  ch->cancellable = cancellable;
  chain_next_page (ch, NULL);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  return strcmp ((*(Candidate **) a)->key, (*(Candidate **) b)->key);
}

/* Whether @a and @b lie in the same top-level folder (or both at the top). */
static gboolean
same_top_folder (const char *a,
                 const char *b)
{
  const char *sa = strchr (a, '/');
  const char *sb = strchr (b, '/');

  if (sa == NULL || sb == NULL)
    return sa == sb;
  return sa - a == sb - b && strncmp (a, b, sa - a) == 0;
}

static void
add_chain (GkS3Probe  *self,
           Bucket     *bucket,
           GPtrArray  *sorted,
           guint       from,
           guint       to)
{
  Chain *ch = g_new0 (Chain, 1);
  Candidate *first = sorted->pdata[from];
  Candidate *last = sorted->pdata[to - 1];

  ch->self = self;
  ch->bucket = bucket;
  ch->prefix = gk_s3_key_common_prefix (first->key, last->key);
  ch->start_after = gk_s3_key_before (first->key);
  ch->n = to - from;
  ch->candidates = g_memdup2 (sorted->pdata + from, ch->n * sizeof (Candidate *));
  for (guint i = 0; i < ch->n; i++)
    ch->candidates[i]->listing = TRUE;
  gk_parallel_add (self->parallel, start_chain, ch, (GDestroyNotify) chain_free);
}

/* Cuts @bucket's unknown candidates into listing chains. */
static void
plan_listings (GkS3Probe *self,
               Bucket    *bucket)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GHashTableIter iter;
  Candidate *c;
  guint start = 0;

  g_hash_table_iter_init (&iter, bucket->candidates);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
    /* A key that is not UTF-8 cannot bound a listing; HEAD asks for it. */
    if (c->state == CAND_UNKNOWN && g_utf8_validate (c->key, -1, NULL))
      g_ptr_array_add (sorted, c);
  g_ptr_array_sort (sorted, compare_candidates);

  for (guint i = 1; i <= sorted->len; i++)
    {
      if (i < sorted->len && i - start < CHUNK_CANDIDATES
          && same_top_folder (((Candidate *) sorted->pdata[start])->key,
                              ((Candidate *) sorted->pdata[i])->key))
        continue;
      add_chain (self, bucket, sorted, start, i);
      start = i;
    }
}

/* ---- regions, then the lookups ------------------------------------------ */

static void
start_lookups (GkS3Probe *self,
               Bucket    *bucket)
{
  if (self->use_listings && bucket->region_error == NULL)
    plan_listings (self, bucket);
  for (guint i = 0; i < self->questions->len; i++)
    if (((Question *) self->questions->pdata[i])->bucket == bucket)
      advance (self, i);
}

typedef struct
{
  GkS3Probe *self;
  Bucket *bucket;
  GkParallelJob *job;
} RegionJob;

static void
on_region_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RegionJob *r = user_data;
  g_autofree char *region = NULL;
  g_autoptr(GError) error = NULL;

  region = gk_s3_client_get_bucket_region_finish (GK_S3_CLIENT (object), result, &error);
  if (region == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gk_parallel_job_return_error (r->job, g_steal_pointer (&error));
      return;
    }
  if (region == NULL)
    r->bucket->region_error = g_error_copy (error);
  start_lookups (r->self, r->bucket);
  gk_parallel_job_return (r->job, NULL, NULL);
}

static void
start_region (GkParallelJob *job,
              gpointer       job_data,
              GCancellable  *cancellable)
{
  RegionJob *r = job_data;

  r->job = job;
  gk_s3_client_get_bucket_region_async (r->self->client, r->bucket->name, cancellable,
                                        on_region_cb, r);
}

/* ---- public API --------------------------------------------------------- */

/**
 * gk_s3_probe_new:
 *
 * Returns: (transfer full): a probe asking S3 through @client
 */
GkS3Probe *
gk_s3_probe_new (GkS3Client *client)
{
  GkS3Probe *self;

  g_return_val_if_fail (GK_IS_S3_CLIENT (client), NULL);

  self = g_object_new (GK_TYPE_S3_PROBE, NULL);
  self->client = g_object_ref (client);
  return self;
}

void
gk_s3_probe_set_max_in_flight (GkS3Probe *self,
                               guint      max_in_flight)
{
  g_return_if_fail (GK_IS_S3_PROBE (self));
  self->max_in_flight = MAX (max_in_flight, 1);
}

/**
 * gk_s3_probe_set_use_listings:
 * @use_listings: %FALSE to ask HEAD for every name, one question after the
 *   other's turn (as single lookups do), to compare with the listings
 */
void
gk_s3_probe_set_use_listings (GkS3Probe *self,
                              gboolean   use_listings)
{
  g_return_if_fail (GK_IS_S3_PROBE (self));
  self->use_listings = use_listings;
}

/**
 * gk_s3_probe_add_listing:
 * @prefix: a prefix the caller has just listed to the end, every depth
 * @keys: every key under @prefix
 *
 * Questions about keys under @prefix are answered from @keys, without
 * asking S3 again.
 */
void
gk_s3_probe_add_listing (GkS3Probe          *self,
                         const char         *bucket,
                         const char         *prefix,
                         const char * const *keys)
{
  Listing *l;

  g_return_if_fail (GK_IS_S3_PROBE (self));
  g_return_if_fail (!self->running);

  l = g_new0 (Listing, 1);
  l->prefix = g_strdup (prefix != NULL ? prefix : "");
  l->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    g_hash_table_add (l->keys, g_strdup (keys[i]));
  g_ptr_array_add (bucket_for (self, bucket)->listings, l);
}

/**
 * gk_s3_probe_add:
 * @candidates: keys in @bucket, in order of preference
 *
 * Asks which of @candidates exists first.
 *
 * Returns: the question's index for gk_s3_probe_get_found()
 */
guint
gk_s3_probe_add (GkS3Probe          *self,
                 const char         *bucket,
                 const char * const *candidates)
{
  Question *q;
  Bucket *b;
  guint index;

  g_return_val_if_fail (GK_IS_S3_PROBE (self), 0);
  g_return_val_if_fail (!self->running, 0);

  b = bucket_for (self, bucket);
  q = g_new0 (Question, 1);
  q->bucket = b;
  q->n_candidates = candidates != NULL ? g_strv_length ((GStrv) candidates) : 0;
  q->candidates = g_new0 (Candidate *, q->n_candidates + 1);
  index = self->questions->len;
  for (guint i = 0; i < q->n_candidates; i++)
    {
      Candidate *c = g_hash_table_lookup (b->candidates, candidates[i]);

      if (c == NULL)
        {
          c = g_new0 (Candidate, 1);
          c->key = g_strdup (candidates[i]);
          c->questions = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (b->candidates, c->key, c);
        }
      g_array_append_val (c->questions, index);
      q->candidates[i] = c;
    }
  g_ptr_array_add (self->questions, q);
  return index;
}

/**
 * gk_s3_probe_set_progress_func:
 *
 * @func is told how many questions have their answer, as they get it.
 */
void
gk_s3_probe_set_progress_func (GkS3Probe             *self,
                               GkS3ProbeProgressFunc  func,
                               gpointer               user_data,
                               GDestroyNotify         notify)
{
  g_return_if_fail (GK_IS_S3_PROBE (self));

  if (self->progress_notify != NULL)
    self->progress_notify (self->progress_data);
  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_notify = notify;
}

/* Answers from the caller's own listings need no request. */
static void
apply_listings (Bucket *b)
{
  GHashTableIter iter;
  Candidate *c;

  if (b->listings->len == 0)
    return;
  g_hash_table_iter_init (&iter, b->candidates);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
    for (guint i = 0; i < b->listings->len; i++)
      {
        Listing *l = b->listings->pdata[i];

        if (g_str_has_prefix (c->key, l->prefix))
          {
            c->state = g_hash_table_contains (l->keys, c->key) ? CAND_FOUND : CAND_ABSENT;
            break;
          }
      }
}

static void
on_parallel_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkS3Probe *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->running = FALSE;
  g_clear_object (&self->parallel);
  if (!gk_parallel_run_finish (GK_PARALLEL (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Every question has its answer: each lookup ends in one. */
  for (guint i = 0; i < self->questions->len; i++)
    g_assert (((Question *) self->questions->pdata[i])->done);
  g_task_return_boolean (task, TRUE);
}

/**
 * gk_s3_probe_run_async:
 *
 * Answers every question: first from the caller's listings, then from
 * listings of the key ranges the rest fall in, then with HEAD.
 */
void
gk_s3_probe_run_async (GkS3Probe           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  GHashTableIter iter;
  Bucket *b;

  g_return_if_fail (GK_IS_S3_PROBE (self));
  g_return_if_fail (!self->running);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_probe_run_async);
  self->running = TRUE;
  self->parallel = gk_parallel_new (self->max_in_flight);

  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &b))
    {
      apply_listings (b);
      if (gk_s3_client_peek_bucket_region (self->client, b->name) != NULL)
        start_lookups (self, b);
      else
        {
          /* One region lookup per bucket, before any request that would
           * otherwise each look it up. */
          RegionJob *r = g_new0 (RegionJob, 1);

          r->self = self;
          r->bucket = b;
          gk_parallel_add (self->parallel, start_region, r, g_free);
        }
    }
  gk_parallel_run_async (self->parallel, cancellable, on_parallel_done_cb, task);
}

/**
 * gk_s3_probe_run_finish:
 *
 * Returns: %FALSE only when cancelled; each question's own failure is in
 *   gk_s3_probe_get_found()
 */
gboolean
gk_s3_probe_run_finish (GkS3Probe     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gk_s3_probe_get_found:
 * @error: (out) (optional) (transfer none): why the question has no answer
 *   (S3 failed or refused otherwise than with 403/404)
 *
 * Returns: (nullable): the first of the question's candidates that exists,
 *   or %NULL when none does (or @error)
 */
const char *
gk_s3_probe_get_found (GkS3Probe     *self,
                       guint          question,
                       const GError **error)
{
  Question *q;

  g_return_val_if_fail (GK_IS_S3_PROBE (self), NULL);
  g_return_val_if_fail (question < self->questions->len, NULL);

  q = self->questions->pdata[question];
  if (error != NULL)
    *error = q->error;
  return q->found;
}

/**
 * gk_s3_probe_get_n_lists:
 *
 * Returns: ListObjectsV2 requests made so far
 */
guint
gk_s3_probe_get_n_lists (GkS3Probe *self)
{
  g_return_val_if_fail (GK_IS_S3_PROBE (self), 0);
  return self->n_lists;
}

/**
 * gk_s3_probe_get_n_heads:
 *
 * Returns: HeadObject requests made so far
 */
guint
gk_s3_probe_get_n_heads (GkS3Probe *self)
{
  g_return_val_if_fail (GK_IS_S3_PROBE (self), 0);
  return self->n_heads;
}

static void
gk_s3_probe_dispose (GObject *object)
{
  GkS3Probe *self = GK_S3_PROBE (object);

  g_clear_object (&self->client);
  g_clear_object (&self->parallel);
  G_OBJECT_CLASS (gk_s3_probe_parent_class)->dispose (object);
}

static void
gk_s3_probe_finalize (GObject *object)
{
  GkS3Probe *self = GK_S3_PROBE (object);

  g_ptr_array_unref (self->questions);
  g_hash_table_unref (self->buckets);
  if (self->progress_notify != NULL)
    self->progress_notify (self->progress_data);
  G_OBJECT_CLASS (gk_s3_probe_parent_class)->finalize (object);
}

static void
gk_s3_probe_class_init (GkS3ProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gk_s3_probe_dispose;
  G_OBJECT_CLASS (klass)->finalize = gk_s3_probe_finalize;
}

static void
gk_s3_probe_init (GkS3Probe *self)
{
  self->max_in_flight = GK_PARALLEL_DEFAULT_IN_FLIGHT;
  self->use_listings = TRUE;
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) bucket_free);
  self->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) question_free);
}
