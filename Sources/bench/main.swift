import Sweep
print("bench")
