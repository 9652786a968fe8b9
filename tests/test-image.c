/* Tests of the image module: to be written with it. */
#include <stdio.h>

int main(void)
{
    printf("image: 0 passed, 0 failed\n");
    return 0;
}
