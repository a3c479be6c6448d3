from setuptools import setup

setup(name="lazydep", version="1.0", packages=["lazydep"], zip_safe=False)
