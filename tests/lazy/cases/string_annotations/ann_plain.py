import ann_p_heavy                        # expect: any


def h(x: ann_p_heavy.PThing) -> None:
    return None
