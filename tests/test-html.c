/* Tests of the html module: to be written with it. */
#include <stdio.h>

int main(void)
{
    printf("html: 0 passed, 0 failed\n");
    return 0;
}
