/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "elf-needed.h"
#include <elf.h>
#include <string.h>

/* Programs are small enough to read whole, and this runs once after an app
 * failed, never on the launch path. */
#define MAX_PROGRAM (256 * 1024 * 1024)

static gboolean
in_file(gsize size, guint64 off, guint64 len)
{
  return off <= size && len <= size - off;
}

/* File offset of virtual address VADDR, through the PT_LOAD segments. */
static gboolean
vaddr_offset(const char *data, gsize size, const Elf64_Ehdr *eh, guint64 vaddr, guint64 *off)
{
  for (guint i = 0; i < eh->e_phnum; i++) {
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(data + eh->e_phoff + (guint64)i * eh->e_phentsize);
    if (ph->p_type == PT_LOAD && vaddr >= ph->p_vaddr && vaddr - ph->p_vaddr < ph->p_filesz) {
      *off = ph->p_offset + (vaddr - ph->p_vaddr);
      return TRUE;
    }
  }
  return FALSE;
}

char **
hutch_elf_needed(const char *path)
{
  g_autofree char *data = NULL;
  gsize size = 0;
  if (!g_file_get_contents(path, &data, &size, NULL) || size > MAX_PROGRAM ||
      size < sizeof(Elf64_Ehdr))
    return NULL;
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_phentsize != sizeof(Elf64_Phdr) ||
      !in_file(size, eh->e_phoff, (guint64)eh->e_phnum * sizeof(Elf64_Phdr)))
    return NULL;
  const Elf64_Phdr *dyn = NULL;
  for (guint i = 0; i < eh->e_phnum; i++) {
    const Elf64_Phdr *ph =
        (const Elf64_Phdr *)(data + eh->e_phoff + (guint64)i * sizeof(Elf64_Phdr));
    if (ph->p_type == PT_DYNAMIC)
      dyn = ph;
  }
  if (!dyn || !in_file(size, dyn->p_offset, dyn->p_filesz))
    return NULL;
  const Elf64_Dyn *d = (const Elf64_Dyn *)(data + dyn->p_offset);
  gsize n = dyn->p_filesz / sizeof(Elf64_Dyn);
  guint64 strtab = 0, strsz = 0;
  for (gsize i = 0; i < n && d[i].d_tag != DT_NULL; i++) {
    if (d[i].d_tag == DT_STRTAB)
      strtab = d[i].d_un.d_ptr;
    else if (d[i].d_tag == DT_STRSZ)
      strsz = d[i].d_un.d_val;
  }
  guint64 str_off;
  if (!strtab || !vaddr_offset(data, size, eh, strtab, &str_off) || !in_file(size, str_off, strsz))
    return NULL;
  GPtrArray *out = g_ptr_array_new();
  for (gsize i = 0; i < n && d[i].d_tag != DT_NULL; i++)
    if (d[i].d_tag == DT_NEEDED && d[i].d_un.d_val < strsz)
      g_ptr_array_add(out, g_strndup(data + str_off + d[i].d_un.d_val, strsz - d[i].d_un.d_val));
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(out, FALSE);
}
