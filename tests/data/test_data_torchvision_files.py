"""lb.data's copies of torchvision's file lists (folder, file names, md5s) equal the installed
torchvision's, so reading cached tensors without importing torchvision finds the same files."""

import pytest
from torchvision import datasets

from lb.data.cifar import CIFAR_FILES
from lb.data.cifar import torchvision_class as cifar_class
from lb.data.idx import IDX_FILES
from lb.data.idx import torchvision_class as idx_class


@pytest.mark.parametrize("name", sorted(IDX_FILES))
def test_idx_files_are_torchvisions(name):
    files = IDX_FILES[name]
    cls = getattr(datasets, files.class_name)
    assert idx_class(name) is cls
    assert [tuple(r) for r in cls.resources] == list(files.resources)


@pytest.mark.parametrize("name", sorted(CIFAR_FILES))
def test_cifar_files_are_torchvisions(name):
    files = CIFAR_FILES[name]
    cls = getattr(datasets, files.class_name)
    assert cifar_class(name) is cls
    assert cls.base_folder == files.base_folder
    assert [tuple(r) for r in cls.train_list] == list(files.train_list)
    assert [tuple(r) for r in cls.test_list] == list(files.test_list)
    assert (cls.meta["filename"], cls.meta["md5"]) == (files.meta_filename, files.meta_md5)
