/* COM1 input by interrupt (serial_input.c). */
#ifndef SUBFLOOR_SERIAL_INPUT_H
#define SUBFLOOR_SERIAL_INPUT_H

/* Open COM1's receive interrupt if COM1 is the console. */
void serial_input_init(void);

#endif
