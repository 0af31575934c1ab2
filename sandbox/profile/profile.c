/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"
#include "profile.h"
#include "error.h"
#include "paths.h"
#include "print.h"
#include "profile-lines.h"
#include "suggest.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Deep enough for any real library, shallow enough that a hostile profile
 * cannot make hutch do much work. */
#define MAX_INCLUDE_DEPTH 16

char **
hutch_profile_search_path(void)
{
  GPtrArray *dirs = g_ptr_array_new();
  g_ptr_array_add(dirs, g_build_filename(g_get_user_config_dir(), "hutch", "profiles", NULL));
  g_ptr_array_add(dirs, g_build_filename(HUTCH_SYSCONFDIR, "profiles", NULL));
  g_ptr_array_add(dirs, g_strdup(hutch_shipped_profiles_dir()));
  g_ptr_array_add(dirs, NULL);
  return (char **)g_ptr_array_free(dirs, FALSE);
}

char *
hutch_profile_override_path(const char *name)
{
  g_autofree char *file = g_strconcat(name, ".profile", NULL);
  return g_build_filename(g_get_user_config_dir(), "hutch", "overrides", file, NULL);
}

gboolean
hutch_profile_name_valid(const char *name)
{
  if (!*name || *name == '.' || strlen(name) > 128)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum(*p) && !strchr("._+-", *p))
      return FALSE;
  return TRUE;
}

char *
hutch_profile_find_file(char **search, const char *dir, const char *file_name)
{
  if (dir) {
    g_autofree char *path = g_build_filename(dir, file_name, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
      return g_steal_pointer(&path);
  }
  for (char **d = search; d && *d; d++) {
    g_autofree char *path = g_build_filename(*d, file_name, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
      return g_steal_pointer(&path);
  }
  return NULL;
}

char *
hutch_profile_name_from_path(const char *path)
{
  g_autofree char *base = g_path_get_basename(path);
  if (g_str_has_suffix(base, ".profile"))
    base[strlen(base) - strlen(".profile")] = '\0';
  else if (g_str_has_suffix(base, ".inc"))
    base[strlen(base) - strlen(".inc")] = '\0';
  return g_steal_pointer(&base);
}

/* Entries: one value of one key, from a file line or a flag ------------------ */

typedef struct {
  const HutchProfileKey *key;
  char *item;
  char *origin; /* "FILE:LINE" or "--flag": what show and --dry-run print */
  char *where;  /* "FILE:LINE: key=ITEM" or "--flag ITEM": what errors start with */
  guint line;   /* 0 on the command line */
} Entry;

static void
entry_free(gpointer p)
{
  Entry *e = p;
  g_free(e->item);
  g_free(e->origin);
  g_free(e->where);
  g_free(e);
}

static Entry *
entry_new(const HutchProfileKey *key, const char *item, const char *origin, const char *where,
          guint line)
{
  Entry *e = g_new0(Entry, 1);
  e->line = line;
  e->key = key;
  e->item = g_strdup(item);
  e->origin = g_strdup(origin);
  e->where = g_strdup(where);
  return e;
}

struct HutchProfileLayer {
  GPtrArray *entries;
  HutchPolicy *scratch; /* values are checked by applying them here */
};

HutchProfileLayer *
hutch_profile_layer_new(void)
{
  HutchProfileLayer *layer = g_new0(HutchProfileLayer, 1);
  layer->entries = g_ptr_array_new_with_free_func(entry_free);
  layer->scratch = hutch_policy_new();
  return layer;
}

void
hutch_profile_layer_free(HutchProfileLayer *layer)
{
  if (!layer)
    return;
  g_ptr_array_unref(layer->entries);
  hutch_policy_free(layer->scratch);
  g_free(layer);
}

static gboolean check_include_name(const char *name, GError **error);

gboolean
hutch_profile_layer_add(HutchProfileLayer *layer, const HutchProfileKey *key, const char *flag,
                        const char *value, GError **error)
{
  const char *item = value ? value : "true";
  g_autofree char *where = g_strdup_printf("%s %s", flag, item);
  gboolean ok = hutch_profile_key_is_include(key) ? check_include_name(item, error)
                                                  : key->apply(layer->scratch, item, flag, error);
  if (!ok) {
    g_prefix_error(error, "%s: ", value ? where : flag);
    return FALSE;
  }
  g_ptr_array_add(layer->entries, entry_new(key, item, flag, value ? where : flag, 0));
  return TRUE;
}

/* The loader ------------------------------------------------------------------ */

struct HutchProfileLoader {
  char **search;
  GHashTable *done;  /* canonical paths already applied: each file once */
  GPtrArray *stack;  /* canonical paths being applied, outermost first */
  GPtrArray *errors; /* "FILE:LINE: message" */
  GArray *pending;   /* Pending: the current file's errors, sorted by line when it is done */
};

typedef struct {
  guint line;
  char *text;
} Pending;

HutchProfileLoader *
hutch_profile_loader_new(char **search)
{
  HutchProfileLoader *loader = g_new0(HutchProfileLoader, 1);
  loader->search = search ? g_strdupv(search) : hutch_profile_search_path();
  loader->done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  loader->stack = g_ptr_array_new_with_free_func(g_free);
  loader->errors = g_ptr_array_new_with_free_func(g_free);
  return loader;
}

void
hutch_profile_loader_free(HutchProfileLoader *loader)
{
  if (!loader)
    return;
  g_strfreev(loader->search);
  g_hash_table_unref(loader->done);
  g_ptr_array_unref(loader->stack);
  g_ptr_array_unref(loader->errors);
  g_free(loader);
}

GPtrArray *
hutch_profile_loader_errors(HutchProfileLoader *loader)
{
  return loader->errors;
}

gboolean
hutch_profile_loader_take_errors(HutchProfileLoader *loader, GError **error)
{
  if (!loader->errors->len)
    return TRUE;
  g_ptr_array_add(loader->errors, NULL);
  g_autofree char *all = g_strjoinv("\n", (char **)loader->errors->pdata);
  g_ptr_array_set_size(loader->errors, 0);
  g_set_error_literal(error, HUTCH_ERROR, HUTCH_ERROR_PROFILE, all);
  return FALSE;
}

static void loader_error(HutchProfileLoader *loader, guint line, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* LINE orders the messages of one file; 0 keeps the order they came in. */
static void
loader_error(HutchProfileLoader *loader, guint line, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *raw = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  /* Each message one line: the value it quotes may come from the command
   * line and hold a newline (hutch_print_error prints them a line each). */
  char *text = hutch_escape(raw);
  if (loader->pending) {
    Pending p = {line, text};
    g_array_append_val(loader->pending, p);
  } else {
    g_ptr_array_add(loader->errors, text);
  }
}

static int
compare_pending(gconstpointer a, gconstpointer b)
{
  const Pending *pa = a, *pb = b;
  return pa->line < pb->line ? -1 : pa->line > pb->line;
}

/* The file's own errors in line order (its includes' came before, at the
 * include line's turn). */
static void
flush_pending(HutchProfileLoader *loader, GArray *pending)
{
  g_array_sort(pending, compare_pending); /* stable since GLib 2.32 */
  for (guint i = 0; i < pending->len; i++)
    g_ptr_array_add(loader->errors, g_array_index(pending, Pending, i).text);
  g_array_set_size(pending, 0);
}

static gboolean
check_include_name(const char *name, GError **error)
{
  if (strchr(name, '/') || g_str_equal(name, "..") || !hutch_profile_name_valid(name)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_PROFILE,
                "not a file name (includes are found by name in the profile directories; "
                "'/' and '..' are not allowed)");
    return FALSE;
  }
  return TRUE;
}

static char *
include_chain(HutchProfileLoader *loader, const char *last)
{
  g_autoptr(GString) chain = g_string_new(NULL);
  for (guint i = 0; i < loader->stack->len; i++) {
    g_autofree char *base = g_path_get_basename(loader->stack->pdata[i]);
    g_string_append_printf(chain, "%s -> ", base);
  }
  g_autofree char *base = g_path_get_basename(last);
  g_string_append(chain, base);
  return g_string_free(g_steal_pointer(&chain), FALSE);
}

static gboolean apply_file(HutchProfileLoader *loader, HutchPolicy *policy, const char *path,
                           const char *data, gsize len);

/* include=NAME from the file in DIR (NULL: the command line). */
static gboolean
apply_include(HutchProfileLoader *loader, HutchPolicy *policy, const Entry *e, const char *dir)
{
  g_autoptr(GError) local = NULL;
  if (!check_include_name(e->item, &local)) {
    loader_error(loader, e->line, "%s: %s", e->where, local->message);
    return FALSE;
  }
  g_autofree char *file = g_str_has_suffix(e->item, ".inc") || g_str_has_suffix(e->item, ".profile")
                              ? g_strdup(e->item)
                              : g_strconcat(e->item, ".inc", NULL);
  g_autofree char *found = hutch_profile_find_file(loader->search, dir, file);
  if (!found) {
    g_autofree char *dirs = g_strjoinv(", ", loader->search);
    loader_error(loader, e->line, "%s: %s not found (looked in %s%s%s)", e->where, file,
                 dir ? dir : "", dir ? ", " : "", dirs);
    return FALSE;
  }
  g_autofree char *real = realpath(found, NULL);
  const char *path = real ? real : found;
  for (guint i = 0; i < loader->stack->len; i++) {
    if (g_str_equal(loader->stack->pdata[i], path)) {
      g_autofree char *chain = include_chain(loader, path);
      loader_error(loader, e->line, "%s: include loop: %s", e->where, chain);
      return FALSE;
    }
  }
  if (loader->stack->len >= MAX_INCLUDE_DEPTH) {
    loader_error(loader, e->line, "%s: includes nested more than %d deep", e->where,
                 MAX_INCLUDE_DEPTH);
    return FALSE;
  }
  return apply_file(loader, policy, path, NULL, 0);
}

/* One level: its includes first, then its own settings, the deny-like ones
 * (rank 1) last so that they win over allows of the same level. */
static gboolean
apply_entries(HutchProfileLoader *loader, HutchPolicy *policy, GPtrArray *entries, const char *dir)
{
  gboolean ok = TRUE;
  for (guint i = 0; i < entries->len; i++) {
    const Entry *e = entries->pdata[i];
    if (hutch_profile_key_is_include(e->key) && !apply_include(loader, policy, e, dir))
      ok = FALSE;
  }
  for (guint rank = 0; rank <= 1; rank++) {
    for (guint i = 0; i < entries->len; i++) {
      const Entry *e = entries->pdata[i];
      g_autoptr(GError) local = NULL;
      if (hutch_profile_key_is_include(e->key) || e->key->rank != rank)
        continue;
      if (!e->key->apply(policy, e->item, e->origin, &local)) {
        loader_error(loader, e->line, "%s: %s", e->where, local->message);
        ok = FALSE;
      }
    }
  }
  return ok;
}

gboolean
hutch_profile_loader_apply_layer(HutchProfileLoader *loader, HutchPolicy *policy,
                                 const HutchProfileLayer *layer)
{
  return apply_entries(loader, policy, layer->entries, NULL);
}

static gboolean
read_profile(HutchProfileLoader *loader, const char *path, char **data, gsize *len)
{
  /* O_NONBLOCK: a FIFO planted as a profile must not hang hutch. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0) {
    loader_error(loader, 1, "%s:1: cannot read: %s", path, g_strerror(errno));
    if (fd >= 0)
      close(fd);
    return FALSE;
  }
  if (!S_ISREG(st.st_mode) || st.st_size > HUTCH_PROFILE_MAX_SIZE) {
    loader_error(loader, 1, "%s:1: %s", path,
                 S_ISREG(st.st_mode) ? "larger than 256 KiB; profiles are small text files"
                                     : "not a regular file");
    close(fd);
    return FALSE;
  }
  g_autofree char *buf = g_malloc(st.st_size + 1);
  gsize got = 0;
  while (got < (gsize)st.st_size) {
    ssize_t n = read(fd, buf + got, st.st_size - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += n;
  }
  close(fd);
  buf[got] = '\0';
  *data = g_steal_pointer(&buf);
  *len = got;
  return TRUE;
}

/* A value GKeyFile unescaped may hold what the raw line could not: "\n",
 * "\t" and "\r" escapes. */
static gboolean
has_control(const char *s)
{
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      return TRUE;
  return FALSE;
}

static void
add_key_entries(HutchProfileLoader *loader, GKeyFile *kf, const char *path,
                const HutchProfileLine *l, const HutchProfileKey *key, GPtrArray *entries)
{
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) items = NULL;
  if (key->list) {
    items = g_key_file_get_string_list(kf, l->section, l->key, NULL, &local);
    if (!items && g_error_matches(local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE)) {
      g_clear_error(&local); /* an empty list */
      items = g_new0(char *, 1);
    }
  } else {
    char *one = g_key_file_get_string(kf, l->section, l->key, &local);
    if (one) {
      items = g_new0(char *, 2);
      items[0] = one;
    }
  }
  if (!items) {
    loader_error(loader, l->line, "%s:%u: %s: %s", path, l->line, l->key, local->message);
    return;
  }
  /* The origin is printed wherever the setting is (--dry-run, show, errors):
   * a file name that holds a control character shows escaped. */
  g_autofree char *raw_origin = g_strdup_printf("%s:%u", path, l->line);
  g_autofree char *origin = hutch_escape(raw_origin);
  /* "allow=x11 ; gpu" means x11 and gpu: GKeyFile keeps the spaces around
   * the separator, which no value of any key has on purpose. */
  for (char **item = items; key->list && *item; item++)
    g_strstrip(*item);
  for (char **item = items; *item; item++) {
    g_autofree char *where = g_strconcat(origin, ": ", l->key, "=", *item, NULL);
    if (has_control(*item)) {
      loader_error(loader, l->line,
                   "%s:%u: %s: an escaped control character (\\n, \\t, \\r) in a value", path,
                   l->line, l->key);
      continue;
    }
    g_ptr_array_add(entries, entry_new(key, *item, origin, where, l->line));
  }
}

static GPtrArray *
file_entries(HutchProfileLoader *loader, GKeyFile *kf, const char *path,
             const HutchProfileLines *lines)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func(entry_free);
  const char *const *sections = hutch_profile_section_names();
  GHashTableIter iter;
  gpointer name, line;
  g_hash_table_iter_init(&iter, lines->sections);
  while (g_hash_table_iter_next(&iter, &name, &line)) {
    if (!g_strv_contains(sections, name)) {
      g_autofree char *hint = hutch_did_you_mean(name, sections, "[", "]");
      loader_error(loader, GPOINTER_TO_UINT(line), "%s:%u: unknown section [%s]%s", path,
                   GPOINTER_TO_UINT(line), (char *)name, hint);
    }
  }
  for (guint i = 0; i < lines->entries->len; i++) {
    const HutchProfileLine *l = lines->entries->pdata[i];
    if (!g_strv_contains(sections, l->section))
      continue; /* reported once, above */
    const HutchProfileKey *key = hutch_profile_key_find(l->section, l->key);
    if (!key) {
      g_autofree const char **names = hutch_profile_key_names(l->section);
      g_autofree char *hint = hutch_did_you_mean(l->key, names, "'", "'");
      loader_error(loader, l->line, "%s:%u: unknown key '%s' in [%s]%s", path, l->line, l->key,
                   l->section, hint);
      continue;
    }
    add_key_entries(loader, kf, path, l, key, entries);
  }
  return entries;
}

static gboolean
apply_file(HutchProfileLoader *loader, HutchPolicy *policy, const char *path, const char *data,
           gsize len)
{
  if (g_hash_table_contains(loader->done, path))
    return TRUE; /* included twice (a diamond): the first time counts */
  g_hash_table_add(loader->done, g_strdup(path));
  g_autofree char *owned = NULL;
  if (!data) {
    if (!read_profile(loader, path, &owned, &len))
      return FALSE;
    data = owned;
  }
  guint errors_before = loader->errors->len;
  g_autoptr(HutchProfileLines) lines = hutch_profile_lines_scan(path, data, len, loader->errors);
  if (!lines)
    return FALSE;
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_autoptr(GError) local = NULL;
  if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, &local)) {
    loader_error(loader, 1, "%s:1: %s", path, local->message);
    return FALSE;
  }
  GArray *outer = loader->pending;
  g_autoptr(GArray) pending = g_array_new(FALSE, FALSE, sizeof(Pending));
  loader->pending = pending;
  g_autoptr(GPtrArray) entries = file_entries(loader, kf, path, lines);
  g_autofree char *dir = g_path_get_dirname(path);
  g_ptr_array_add(loader->stack, g_strdup(path));
  apply_entries(loader, policy, entries, dir);
  g_ptr_array_remove_index(loader->stack, loader->stack->len - 1);
  loader->pending = outer;
  flush_pending(loader, pending);
  /* After its includes: sources lists files from the lowest precedence up. */
  g_ptr_array_add(policy->sources, g_strdup(path));
  return loader->errors->len == errors_before;
}

gboolean
hutch_profile_loader_apply_file(HutchProfileLoader *loader, HutchPolicy *policy, const char *path,
                                const char *data, gsize len)
{
  g_autofree char *real = data ? NULL : realpath(path, NULL);
  return apply_file(loader, policy, real ? real : path, data, len);
}

/* Loading a profile by name -------------------------------------------------- */

static int
compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
hutch_profile_dir_files(const char *dir, gboolean includes)
{
  GPtrArray *files = g_ptr_array_new();
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *file;
  while (d && (file = g_dir_read_name(d)))
    if (g_str_has_suffix(file, ".profile") || (includes && g_str_has_suffix(file, ".inc")))
      g_ptr_array_add(files, g_strdup(file));
  g_ptr_array_sort(files, compare_strings);
  g_ptr_array_add(files, NULL);
  return (char **)g_ptr_array_free(files, FALSE);
}

char **
hutch_profile_names(char **search)
{
  GPtrArray *names = g_ptr_array_new();
  for (char **d = search; d && *d; d++) {
    g_auto(GStrv) files = hutch_profile_dir_files(*d, FALSE);
    for (char **f = files; *f; f++) {
      g_autofree char *name = hutch_profile_name_from_path(*f);
      if (hutch_profile_name_valid(name) &&
          !g_ptr_array_find_with_equal_func(names, name, g_str_equal, NULL))
        g_ptr_array_add(names, g_steal_pointer(&name));
    }
  }
  g_ptr_array_sort(names, compare_strings);
  g_ptr_array_add(names, NULL);
  return (char **)g_ptr_array_free(names, FALSE);
}

static gboolean
not_found(HutchProfileLoader *loader, const char *name, GError **error)
{
  /* An include is no profile of its own, but the name says what was meant. */
  g_autofree char *inc = g_strconcat(name, ".inc", NULL);
  g_autofree char *inc_path = hutch_profile_find_file(loader->search, NULL, inc);
  if (inc_path) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_NOT_FOUND,
                "'%s' is an include (%s), not a profile: use it from a profile with "
                "include=%s (hutch profile new APP writes one), or run a profile that has it",
                name, inc_path, inc);
    return FALSE;
  }
  g_auto(GStrv) names = hutch_profile_names(loader->search);
  g_autofree char *hint = hutch_did_you_mean(name, (const char *const *)names, "'", "'");
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_NOT_FOUND,
              "no profile named '%s'%s; 'hutch profile list' shows them all", name, hint);
  return FALSE;
}

/* The file NAME_OR_PATH refers to, and the profile name it has. */
static gboolean
locate_profile(HutchProfileLoader *loader, const char *name_or_path, char **path, char **name,
               GError **error)
{
  if (strchr(name_or_path, '/')) {
    if (!g_file_test(name_or_path, G_FILE_TEST_IS_REGULAR)) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_NOT_FOUND, "%s: no such profile file",
                  name_or_path);
      return FALSE;
    }
    *path = g_strdup(name_or_path);
    *name = hutch_profile_name_from_path(name_or_path);
    return TRUE;
  }
  g_autofree char *bare = hutch_profile_name_from_path(name_or_path);
  if (!hutch_profile_name_valid(bare))
    return not_found(loader, name_or_path, error);
  g_autofree char *file = g_strconcat(bare, ".profile", NULL);
  *path = hutch_profile_find_file(loader->search, NULL, file);
  if (!*path)
    return not_found(loader, bare, error);
  *name = g_steal_pointer(&bare);
  return TRUE;
}

gboolean
hutch_profile_loader_apply_profile(HutchProfileLoader *loader, HutchPolicy *policy,
                                   const char *name_or_path, GError **error)
{
  g_autofree char *path = NULL, *name = NULL;
  if (!locate_profile(loader, name_or_path, &path, &name, error))
    return FALSE;
  hutch_profile_loader_apply_file(loader, policy, path, NULL, 0);
  if (hutch_profile_name_valid(name)) {
    g_autofree char *override = hutch_profile_override_path(name);
    if (g_file_test(override, G_FILE_TEST_EXISTS))
      hutch_profile_loader_apply_file(loader, policy, override, NULL, 0);
  }
  g_free(policy->profile_name);
  /* The name keys per-app state (the private home), so it must be a safe one. */
  policy->profile_name = hutch_profile_name_valid(name) ? g_steal_pointer(&name) : NULL;
  return TRUE;
}

gboolean
hutch_profile_load(HutchPolicy *policy, const char *name_or_path, GError **error)
{
  g_autoptr(HutchProfileLoader) loader = hutch_profile_loader_new(NULL);
  if (!hutch_profile_loader_apply_profile(loader, policy, name_or_path, error))
    return FALSE;
  return hutch_profile_loader_take_errors(loader, error);
}
