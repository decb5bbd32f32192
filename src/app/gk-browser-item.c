/* gk-browser-item.c: one row of the file list — a folder or an object
 *
 * Rows are created by the thousand while a large prefix loads, so this is a
 * plain GObject with one readable property (the name, for the filter) and
 * the type mark worked out once, not per redraw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-browser-item.h"
#include "gk-genomic-file.h"

struct _GkBrowserItem
{
  GObject parent_instance;

  char *key;
  char *name;
  guint64 size;
  gint64 modified;
  gboolean folder;
  const char *mark;
  const char *mark_kind;
};

G_DEFINE_FINAL_TYPE (GkBrowserItem, gk_browser_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The mark shown beside a file name and its colour family, as core
 * classifies the name. Index files are not tracks of their own but people
 * look for them. */
static void
set_mark (GkBrowserItem *self)
{
  const GkGenomicFile *info = gk_genomic_file_classify (self->name);

  self->mark = info->label;
  switch (info->category)
    {
    case GK_GENOMIC_CATEGORY_ALIGNMENTS:
      self->mark_kind = "alignments";
      break;
    case GK_GENOMIC_CATEGORY_VARIANTS:
      self->mark_kind = "variants";
      break;
    case GK_GENOMIC_CATEGORY_STRUCTURAL:
    case GK_GENOMIC_CATEGORY_COPY_NUMBER:
      self->mark_kind = "structural";
      break;
    case GK_GENOMIC_CATEGORY_INDEX:
      self->mark_kind = "index";
      break;
    case GK_GENOMIC_CATEGORY_COVERAGE:
    case GK_GENOMIC_CATEGORY_ANNOTATIONS:
    case GK_GENOMIC_CATEGORY_REFERENCE:
      self->mark_kind = "annotations";
      break;
    case GK_GENOMIC_CATEGORY_NONE:
    default:
      self->mark_kind = NULL;
      break;
    }
}

static void
gk_browser_item_finalize (GObject *object)
{
  GkBrowserItem *self = GK_BROWSER_ITEM (object);

  g_free (self->key);
  g_free (self->name);

  G_OBJECT_CLASS (gk_browser_item_parent_class)->finalize (object);
}

static void
gk_browser_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GkBrowserItem *self = GK_BROWSER_ITEM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_browser_item_class_init (GkBrowserItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_browser_item_finalize;
  object_class->get_property = gk_browser_item_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gk_browser_item_init (GkBrowserItem *self)
{
}

/**
 * gk_browser_item_new_folder:
 * @prefix: the full prefix, ending in "/"
 * @name: the folder's own name, without the "/"
 */
GkBrowserItem *
gk_browser_item_new_folder (const char *prefix,
                            const char *name)
{
  GkBrowserItem *self = g_object_new (GK_TYPE_BROWSER_ITEM, NULL);

  self->key = g_strdup (prefix);
  self->name = g_strdup (name);
  self->folder = TRUE;
  return self;
}

GkBrowserItem *
gk_browser_item_new_file (const char *key,
                          const char *name,
                          guint64     size,
                          gint64      modified)
{
  GkBrowserItem *self = g_object_new (GK_TYPE_BROWSER_ITEM, NULL);

  self->key = g_strdup (key);
  self->name = g_strdup (name);
  self->size = size;
  self->modified = modified;
  set_mark (self);
  return self;
}

const char *
gk_browser_item_get_key (GkBrowserItem *self)
{
  return self->key;
}

const char *
gk_browser_item_get_name (GkBrowserItem *self)
{
  return self->name;
}

gboolean
gk_browser_item_is_folder (GkBrowserItem *self)
{
  return self->folder;
}

guint64
gk_browser_item_get_size (GkBrowserItem *self)
{
  return self->size;
}

gint64
gk_browser_item_get_modified (GkBrowserItem *self)
{
  return self->modified;
}

/**
 * gk_browser_item_get_mark:
 *
 * Returns: (nullable): the type mark ("BAM", "VCF", "BAI"…)
 */
const char *
gk_browser_item_get_mark (GkBrowserItem *self)
{
  return self->mark;
}

/**
 * gk_browser_item_get_mark_kind:
 *
 * Returns: (nullable): "alignments", "variants", "structural",
 *   "annotations" or "index" — a style class for the mark
 */
const char *
gk_browser_item_get_mark_kind (GkBrowserItem *self)
{
  return self->mark_kind;
}
