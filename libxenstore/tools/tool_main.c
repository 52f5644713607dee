/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Entry point of one xenstore-<mode> binary; TOOL_MODE names the mode. */
int xenstore_client_main(const char *mode, int argc, char **argv);

int main(int argc, char **argv)
{
    return xenstore_client_main(TOOL_MODE, argc, argv);
}
